package dev.agentphone.egress;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * URL hosts that are addresses, not names: IPv4 and IPv6 literals, and the older IPv4 forms that
 * C libraries and browsers still read ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1},
 * {@code 127.1}). They are turned into the address they stand for without asking DNS, so the
 * guard judges the same address the network stack would reach.
 */
final class NumericHost {
  private NumericHost() {
  }

  /** The address {@code host} denotes, or null when it is a name. */
  static InetAddress parse(String host) {
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    if (literal == null) {
      literal = legacyIpv4(host);
    }
    if (literal == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(host, literal);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** inet_aton: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
  private static byte[] legacyIpv4(String host) {
    if (host.isEmpty() || host.endsWith(".")) {
      return null;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Long value = number(parts[i]);
      if (value == null) {
        return null;
      }
      values[i] = value;
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 0xff) {
        return null;
      }
      address |= values[i] << (8 * (3 - i));
    }
    long last = values[parts.length - 1];
    int remainingBits = 8 * (5 - parts.length);
    if (last >= (1L << remainingBits)) {
      return null;
    }
    address |= last;
    return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8),
        (byte) address};
  }

  private static Long number(String part) {
    if (part.isEmpty() || part.length() > 12) {
      return null;
    }
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x") || part.startsWith("0X")) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() > 1 && part.startsWith("0")) {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.isEmpty()) {
      return radix == 16 ? 0L : null;
    }
    for (char c : digits.toCharArray()) {
      if (Character.digit(c, radix) < 0) {
        return null;
      }
    }
    return Long.parseLong(digits, radix);
  }
}

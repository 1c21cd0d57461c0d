package dev.agentphone.platform;

import java.security.SecureRandom;

/**
 * Opaque prefixed ids ({@code agt_…}). The first 10 characters encode the creation millisecond so
 * ids sort roughly by time and B-tree inserts stay at the right edge of the index.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {
  }

  public static String next(String prefix) {
    char[] out = new char[26];
    long time = System.currentTimeMillis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long bits = 0;
    int available = 0;
    int pos = 10;
    for (byte b : random) {
      bits = (bits << 8) | (b & 0xff);
      available += 8;
      while (available >= 5 && pos < 26) {
        out[pos++] = ALPHABET[(int) ((bits >>> (available - 5)) & 31)];
        available -= 5;
      }
    }
    return prefix + "_" + new String(out);
  }
}

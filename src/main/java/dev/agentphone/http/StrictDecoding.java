package dev.agentphone.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * Decoding request bytes without repairing them. Vert.x and Jackson decode invalid UTF-8 into
 * U+FFFD and Vert.x reads raw non-ASCII URL bytes as Latin-1, both silently; here a byte that is
 * not valid UTF-8 (an encoded surrogate included) is a failure the caller turns into a 422.
 */
final class StrictDecoding {
  /** Why a piece of input could not be decoded; {@code type} and {@code msg} as in a 422. */
  static final class Failure extends Exception {
    final String type;

    Failure(String type, String msg) {
      super(msg, null, false, false);
      this.type = type;
    }
  }

  static final String URL_TYPE = "url_encoding";

  private StrictDecoding() {
  }

  /** UTF-8 bytes to text; the failure names the offset of the first bad byte. */
  static String utf8(byte[] bytes) throws Failure {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      CharBuffer out = decoder.decode(in);
      return out.toString();
    } catch (MalformedInputException e) {
      throw new Failure(StorableText.UNICODE_TYPE,
          "Input should be a valid string, unable to parse raw data as a unicode string "
              + "(invalid UTF-8 at byte " + in.position() + ")");
    } catch (CharacterCodingException e) {
      throw new Failure(StorableText.UNICODE_TYPE,
          "Input should be a valid string, unable to parse raw data as a unicode string");
    }
  }

  /**
   * A path segment or query component, percent-decoded then UTF-8-decoded. {@code raw} is what
   * the HTTP decoder handed over: one char per request-line byte, so a char above 0x7F is a raw
   * non-ASCII byte, which a URL may not carry unencoded.
   */
  static String urlComponent(String raw, boolean plusIsSpace) throws Failure {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          throw new Failure(URL_TYPE, "Invalid percent-encoding: '%' must be followed by two "
              + "hexadecimal digits");
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c > 0x7f) {
        throw new Failure(URL_TYPE,
            "Non-ASCII characters in a URL must be percent-encoded as UTF-8");
      } else {
        bytes.write(plusIsSpace && c == '+' ? ' ' : c);
      }
    }
    return utf8(bytes.toByteArray());
  }
}

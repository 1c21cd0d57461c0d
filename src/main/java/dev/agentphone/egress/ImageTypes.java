package dev.agentphone.egress;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The type of an image fetched from a customer's URL, read from the file's first bytes: what a
 * server claims in {@code Content-Type} decides nothing. JPEG, PNG, GIF, WebP and HEIC, the
 * images iMessage carriers take.
 */
public final class ImageTypes {
  /** HEIF brands of still images (ISO/IEC 23008-12), as iPhones write them. */
  private static final Set<String> HEIF_BRANDS =
      Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1");

  private ImageTypes() {
  }

  /** The MIME type the file's signature says, or null when it is none of the accepted types. */
  public static String of(byte[] b) {
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (text(b, 0, 6).equals("GIF87a") || text(b, 0, 6).equals("GIF89a")) {
      return "image/gif";
    }
    if (text(b, 0, 4).equals("RIFF") && text(b, 8, 4).equals("WEBP")) {
      return "image/webp";
    }
    if (text(b, 4, 4).equals("ftyp") && HEIF_BRANDS.contains(text(b, 8, 4))) {
      return "image/heic";
    }
    return null;
  }

  private static boolean starts(byte[] b, int... signature) {
    if (b.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((b[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] b, int from, int length) {
    return b.length < from + length ? ""
        : new String(b, from, length, StandardCharsets.ISO_8859_1);
  }
}

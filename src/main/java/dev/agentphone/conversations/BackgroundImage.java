package dev.agentphone.conversations;

import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.imessage.IMessage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * A chat background as carriers take it: JPEG, PNG, GIF, WebP or HEIC, up to 10 MB. The type is
 * read from the file's first bytes, not from what the server that served it claims.
 */
final class BackgroundImage {
  static final long MAX_BYTES = 10L * 1024 * 1024;
  /** HEIF brands of still images (ISO/IEC 23008-12), as iPhones write them. */
  private static final Set<String> HEIF_BRANDS =
      Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1");

  private BackgroundImage() {
  }

  /** The image with its type and digest; 400 when the bytes are none of the accepted types. */
  static IMessage.Image of(byte[] bytes) {
    String type = typeOf(bytes);
    if (type == null) {
      throw ApiError.badRequest("image_url is not a JPEG, PNG, GIF, WebP or HEIC image");
    }
    return new IMessage.Image(bytes, type, sha256(bytes));
  }

  /** The MIME type the file's signature says, or null. */
  static String typeOf(byte[] b) {
    if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
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

  private static boolean starts(byte[] b, int from, int... signature) {
    if (b.length < from + signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((b[from + i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] b, int from, int length) {
    return b.length < from + length ? ""
        : new String(b, from, length, StandardCharsets.ISO_8859_1);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}

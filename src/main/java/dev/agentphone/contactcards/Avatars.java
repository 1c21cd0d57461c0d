package dev.agentphone.contactcards;

import dev.agentphone.egress.GuardedDownload;
import dev.agentphone.egress.ImageTypes;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.imessage.IMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A contact card's photo, fetched once when the card is set: from an https URL, through the SSRF
 * guard, at most 5 MB, and an image by its first bytes. The carrier gets the image, not the URL,
 * so a URL that later changes or disappears does not change the card.
 */
final class Avatars {
  static final long MAX_BYTES = 5L * 1024 * 1024;

  private final GuardedDownload downloads;

  Avatars(GuardedDownload downloads) {
    this.downloads = downloads;
  }

  /** The checked image at {@code url}; 422 for a URL that is not https, else 400 saying why. */
  Future<IMessage.Image> fetch(String url) {
    // plain http only where private targets are allowed: test servers on loopback
    if (!url.regionMatches(true, 0, "https://", 0, 8) && !downloads.allowsPrivateTargets()) {
      return Future.failedFuture(ApiError.invalid(new JsonArray().add("body").add("avatarUrl"),
          "url_scheme", "URL scheme should be 'https'"));
    }
    return downloads.get(url, MAX_BYTES)
        .recover(failure -> Future.failedFuture(failure instanceof GuardedDownload.Failed
            ? ApiError.badRequest("avatarUrl could not be used: " + failure.getMessage())
            : failure))
        .map(fetched -> {
          byte[] bytes = fetched.body().getBytes();
          String type = ImageTypes.of(bytes);
          if (type == null) {
            throw ApiError.badRequest("avatarUrl is not a JPEG, PNG, GIF, WebP or HEIC image");
          }
          return new IMessage.Image(bytes, type, sha256(bytes));
        });
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}

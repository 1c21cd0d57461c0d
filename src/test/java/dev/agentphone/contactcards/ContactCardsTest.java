package dev.agentphone.contactcards;

import dev.agentphone.support.Api;
import dev.agentphone.support.FileServer;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The iMessage contact card of a number through the public API, with the photo served by a
 * customer's web server and what the carrier was asked read from the sandbox outbox.
 */
class ContactCardsTest {
  static TestEngine server;
  static Api api;
  static FileServer files;
  static byte[] png;

  @BeforeAll
  static void start() throws IOException {
    server = TestEngine.start();
    api = server.api;
    files = new FileServer();
    png = png();
  }

  @AfterAll
  static void stop() {
    files.close();
    server.close();
  }

  static byte[] png() throws IOException {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 1, 0x3366ff);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** A new account's key and an iMessage number it bought. */
  record Line(String key, String numberId, String phoneNumber) {
  }

  static Line iMessageLine() {
    String key = server.newKey();
    Api.Response bought = api.post("/v1/numbers", key, new JsonObject().put("type", "imessage"));
    assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    return new Line(key, bought.json().getString("id"), bought.json().getString("phoneNumber"));
  }

  static String path(String numberId) {
    return "/v1/numbers/" + numberId + "/contact-card";
  }

  static Api.Response put(String key, String numberId, JsonObject card) {
    return api.send("PUT", path(numberId), key, card.encode(), "application/json");
  }

  /** What the sandbox carrier was asked about contact cards, oldest first. */
  static List<JsonObject> cardRequests(String key) {
    JsonArray outbox = api.get("/sandbox/sms?limit=200", key).json().getJsonArray("data");
    List<JsonObject> asked = new java.util.ArrayList<>();
    for (int i = outbox.size() - 1; i >= 0; i--) {
      JsonObject entry = outbox.getJsonObject(i);
      if (entry.getString("action").startsWith("contact-card.")) {
        asked.add(entry);
      }
    }
    return asked;
  }

  @Test
  void aCardIsSetWithItsPhotoReadReplacedAndRemovedAndTheCarrierIsAskedEachTime()
      throws Exception {
    Line line = iMessageLine();
    String avatarUrl = files.put("/avatars/acme.png", "image/png", png);

    Api.Response set = put(line.key(), line.numberId(), new JsonObject().put("firstName", " Order ")
        .put("lastName", "Desk").put("displayName", "Acme Orders").put("avatarUrl", avatarUrl));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json()).isEqualTo(new JsonObject().put("firstName", "Order")
        .put("lastName", "Desk").put("displayName", "Acme Orders").put("hasAvatar", true));
    assertThat(set.body()).as("the photo's URL is never shown").doesNotContain("acme.png");
    assertThat(api.get(path(line.numberId()), line.key()).json()).isEqualTo(set.json());

    JsonObject applied = cardRequests(line.key()).get(0);
    assertThat(applied.getString("action")).isEqualTo("contact-card.set");
    assertThat(applied.getString("channel")).isEqualTo("imessage");
    assertThat(applied.getString("from")).isEqualTo(line.phoneNumber());
    JsonObject details = applied.getJsonObject("details");
    assertThat(details.getString("displayName")).isEqualTo("Acme Orders");
    assertThat(details.getJsonObject("avatar")).isEqualTo(new JsonObject()
        .put("contentType", "image/png").put("bytes", png.length).put("sha256",
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png))));

    // PUT replaces the whole card: what is left out is gone, the photo too
    Api.Response replaced = put(line.key(), line.numberId(),
        new JsonObject().put("displayName", "Acme Support"));
    assertThat(replaced.json()).isEqualTo(new JsonObject().putNull("firstName")
        .putNull("lastName").put("displayName", "Acme Support").put("hasAvatar", false));
    assertThat(cardRequests(line.key()).get(1).getJsonObject("details").containsKey("avatar"))
        .isFalse();

    assertThat(api.delete(path(line.numberId()), line.key()).status()).isEqualTo(204);
    Api.Response gone = api.get(path(line.numberId()), line.key());
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.detail()).isEqualTo("No contact card set on this number");
    assertThat(cardRequests(line.key())).extracting(r -> r.getString("action"))
        .containsExactly("contact-card.set", "contact-card.set", "contact-card.remove");

    // removing no card is a no-op 204 that asks the carrier nothing
    assertThat(api.delete(path(line.numberId()), line.key()).status()).isEqualTo(204);
    assertThat(cardRequests(line.key())).hasSize(3);
  }

  @Test
  void aNumberWithoutACardIsNotFound() {
    Line line = iMessageLine();
    Api.Response none = api.get(path(line.numberId()), line.key());
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.detail()).isEqualTo("No contact card set on this number");
  }

  @Test
  void anSmsLineHasNoContactCard() {
    JsonObject account = server.signUp("cards-sms-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String sms = account.getString("number_id");
    Api.Response set = put(key, sms, new JsonObject().put("displayName", "Acme"));
    assertThat(set.status()).isEqualTo(400);
    assertThat((String) set.detail()).contains("iMessage feature")
        .contains(account.getString("phone_number")).contains("SMS line");
    assertThat(api.get(path(sms), key).status()).isEqualTo(400);
    assertThat(api.delete(path(sms), key).status()).isEqualTo(400);
    assertThat(cardRequests(key)).isEmpty();
  }

  @Test
  void anotherAccountsNumberIsNotFound() {
    Line line = iMessageLine();
    assertThat(put(line.key(), line.numberId(), new JsonObject().put("firstName", "Mine"))
        .status()).isEqualTo(200);
    String stranger = server.newKey();
    assertThat(api.get(path(line.numberId()), stranger).status()).isEqualTo(404);
    assertThat(put(stranger, line.numberId(), new JsonObject().put("firstName", "Theirs"))
        .status()).isEqualTo(404);
    assertThat(api.delete(path(line.numberId()), stranger).status()).isEqualTo(404);
    assertThat(api.get(path("num_nonexistent"), line.key()).status()).isEqualTo(404);
    // the owner's card is untouched
    assertThat(api.get(path(line.numberId()), line.key()).json().getString("firstName"))
        .isEqualTo("Mine");
    assertThat(cardRequests(stranger)).isEmpty();
  }

  @Test
  void aReleasedNumberHasNoCardToSet() {
    Line line = iMessageLine();
    assertThat(api.delete("/v1/numbers/" + line.numberId(), line.key()).status()).isEqualTo(200);
    assertThat(put(line.key(), line.numberId(), new JsonObject().put("firstName", "Late"))
        .status()).isEqualTo(404);
  }

  @Test
  void badFieldsAre422sNamingEachField() {
    Line line = iMessageLine();
    Api.Response empty = put(line.key(), line.numberId(), new JsonObject());
    assertThat(empty.status()).isEqualTo(422);
    assertThat(empty.body()).contains("Give at least one of firstName");

    Api.Response bad = put(line.key(), line.numberId(), new JsonObject().put("firstName", 42)
        .put("lastName", "x".repeat(101)).put("avatarUrl", "not a url"));
    assertThat(bad.status()).isEqualTo(422);
    JsonArray errors = (JsonArray) bad.detail();
    assertThat(errors.stream().map(e -> ((JsonObject) e).getJsonArray("loc").getString(1)))
        .containsExactlyInAnyOrder("firstName", "lastName", "avatarUrl");
    Api.Response wrongType = put(line.key(), line.numberId(), new JsonObject()
        .put("firstName", new JsonArray().add("Ada")));
    assertThat(((JsonArray) wrongType.detail()).stream()
        .map(e -> ((JsonObject) e).getJsonArray("loc").getString(1))).containsExactly("firstName");
    assertThat(put(line.key(), line.numberId(), new JsonObject().put("displayName", "A")
        .put("avatarUrl", "ftp://example.com/a.png")).status()).isEqualTo(422);
    assertThat(api.send("PUT", path(line.numberId()), line.key(), "[1]", "application/json")
        .status()).isEqualTo(422);
    assertThat(cardRequests(line.key())).isEmpty();
  }

  @Test
  void aPhotoThatIsNotAnImageTooLargeOrMissingIsRefusedAndNothingIsSet() {
    Line line = iMessageLine();
    String page = files.put("/avatars/page.png", "image/png", "<html>hi</html>".getBytes());
    String huge = files.put("/avatars/huge.png", "image/png", hugePng());
    String missing = files.url("/avatars/missing.png");
    for (String url : List.of(page, huge, missing)) {
      Api.Response refused = put(line.key(), line.numberId(),
          new JsonObject().put("displayName", "Acme").put("avatarUrl", url));
      assertThat(refused.status()).as(url).isEqualTo(400);
      assertThat((String) refused.detail()).startsWith("avatarUrl");
    }
    assertThat((String) put(line.key(), line.numberId(), new JsonObject()
        .put("displayName", "Acme").put("avatarUrl", page)).detail())
        .contains("not a JPEG, PNG, GIF, WebP or HEIC image");
    assertThat((String) put(line.key(), line.numberId(), new JsonObject()
        .put("displayName", "Acme").put("avatarUrl", huge)).detail())
        .contains("larger than " + Avatars.MAX_BYTES);
    assertThat((String) put(line.key(), line.numberId(), new JsonObject()
        .put("displayName", "Acme").put("avatarUrl", missing)).detail()).contains("HTTP 404");
    assertThat(api.get(path(line.numberId()), line.key()).status()).isEqualTo(404);
    assertThat(cardRequests(line.key())).isEmpty();
  }

  /** A PNG signature followed by more than the 5 MB a photo may have. */
  static byte[] hugePng() {
    byte[] bytes = new byte[(int) Avatars.MAX_BYTES + 1024];
    System.arraycopy(png, 0, bytes, 0, png.length);
    return bytes;
  }

  @Test
  void withPrivateTargetsRefusedThePhotoMustBeHttpsAndNeverComesFromOurNetwork() {
    try (TestEngine guarded = TestEngine.builder()
        .config(Map.of("webhooks.allowPrivateTargets", false)).start()) {
      String key = guarded.newKey();
      String numberId = guarded.api.post("/v1/numbers", key,
          new JsonObject().put("type", "imessage")).json().getString("id");
      int before = files.requests.get();
      String plain = files.put("/avatars/plain.png", "image/png", png);
      Api.Response notHttps = guarded.api.send("PUT", path(numberId), key, new JsonObject()
          .put("displayName", "Acme").put("avatarUrl", plain).encode(), "application/json");
      assertThat(notHttps.status()).isEqualTo(422);
      assertThat(notHttps.body()).contains("https");

      for (String[] target : new String[][] {
          {"https://127.0.0.1:" + files.port() + "/avatars/plain.png", "loopback"},
          {"https://169.254.169.254/latest/meta-data/avatar.png", "link-local"},
          {"https://10.0.0.7/avatar.png", "private"}}) {
        Api.Response refused = guarded.api.send("PUT", path(numberId), key, new JsonObject()
            .put("displayName", "Acme").put("avatarUrl", target[0]).encode(), "application/json");
        assertThat(refused.status()).as(target[0]).isEqualTo(400);
        assertThat((String) refused.detail()).contains("avatarUrl could not be used")
            .contains(target[1]);
      }
      assertThat(files.requests.get()).as("nothing reached the web server").isEqualTo(before);
      assertThat(guarded.api.get(path(numberId), key).status()).isEqualTo(404);
    }
  }
}

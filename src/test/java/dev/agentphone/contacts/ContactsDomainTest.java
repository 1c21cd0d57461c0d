package dev.agentphone.contacts;

import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.sandbox.SandboxLineLookup;
import dev.agentphone.support.DomainHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static dev.agentphone.support.DomainHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contacts domain on its own, through its published API. */
@ExtendWith(VertxExtension.class)
class ContactsDomainTest {
  static DomainHarness domains;
  static ContactsApi contacts;

  @BeforeAll
  static void start(Vertx vertx) {
    domains = DomainHarness.start(vertx, Map.of());
    contacts = new ContactsApi(vertx);
    // no iMessage carrier: the capability check asks only the sandbox's line lookup
    domains.deploy(new ContactsFeature(domains.pool, new Capabilities(domains.pool,
        new SandboxLineLookup(), null, new NumbersApi(vertx), 60), contacts));
  }

  @AfterAll
  static void stop() {
    domains.close();
  }

  private static JsonObject contact(String phone, String name) {
    return new JsonObject().put("phoneNumber", phone).put("name", name);
  }

  private static void assertStatus(Runnable call, int status) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiError.class,
        e -> assertThat(e.status()).isEqualTo(status));
  }

  @Test
  void aContactIsCreatedReadChangedFoundByNumberAndDeleted() {
    String account = domains.newAccount();
    String id = await(contacts.create(account, contact("+14155550111", "Lin")
        .put("email", "lin@example.com"))).getString("id");
    assertThat(await(contacts.get(account, id)).getString("name")).isEqualTo("Lin");

    JsonObject changed = await(contacts.update(account, id,
        new JsonObject().put("name", "Lin Wu").put("notes", null)));
    assertThat(changed.getString("name")).isEqualTo("Lin Wu");
    assertThat(changed.getString("email")).isEqualTo("lin@example.com");

    // found by the number however it is written, as an inbound message names it
    assertThat(await(contacts.byNumber(account, "(415) 555-0111")))
        .isEqualTo(new JsonObject().put("id", id).put("name", "Lin Wu")
            .put("email", "lin@example.com").put("phoneNumber", "+14155550111"));

    await(contacts.delete(account, id));
    assertStatus(() -> await(contacts.get(account, id)), 404);
    assertThat(await(contacts.byNumber(account, "+14155550111"))).isNull();
    assertStatus(() -> await(contacts.delete(account, id)), 404);
  }

  @Test
  void onePhoneNumberIsOneContactWithinAnAccountOnly() {
    String account = domains.newAccount();
    await(contacts.create(account, contact("+14155550112", "Ana")));
    assertStatus(() -> await(contacts.create(account, contact("+14155550112", "Ana again"))),
        409);
    String other = domains.newAccount();
    assertThat(await(contacts.create(other, contact("+14155550112", "Ana elsewhere")))
        .getString("name")).isEqualTo("Ana elsewhere");
  }

  @Test
  void searchMatchesNamesAndDigitsAndTakesPatternCharactersLiterally() {
    String account = domains.newAccount();
    await(contacts.create(account, contact("+14155550121", "Ada Lovelace")));
    await(contacts.create(account, contact("+14155550122", "Grace Hopper")));
    await(contacts.create(account, contact("+14155550123", "100% Bob")));

    assertThat(names(await(contacts.list(account, 50, 0, "love")))).containsExactly("Ada Lovelace");
    assertThat(names(await(contacts.list(account, 50, 0, "0122")))).containsExactly("Grace Hopper");
    assertThat(names(await(contacts.list(account, 50, 0, "%")))).containsExactly("100% Bob");

    JsonObject page = await(contacts.list(account, 2, 0, null));
    assertThat(page.getLong("total")).isEqualTo(3);
    assertThat(page.getBoolean("hasMore")).isTrue();
    assertThat(await(contacts.list(account, 2, 2, null)).getBoolean("hasMore")).isFalse();
  }

  @Test
  void anotherAccountsContactIsNotFound() {
    String owner = domains.newAccount();
    String stranger = domains.newAccount();
    String id = await(contacts.create(owner, contact("+14155550131", "Mine"))).getString("id");
    assertStatus(() -> await(contacts.get(stranger, id)), 404);
    assertStatus(() -> await(contacts.update(stranger, id, new JsonObject().put("name", "x"))),
        404);
    assertStatus(() -> await(contacts.delete(stranger, id)), 404);
    assertThat(await(contacts.byNumber(stranger, "+14155550131"))).isNull();
    assertThat(await(contacts.list(stranger, 50, 0, null)).getLong("total")).isZero();
    assertThat(await(contacts.get(owner, id)).getString("name")).isEqualTo("Mine");
  }

  private static java.util.List<String> names(JsonObject page) {
    JsonArray data = page.getJsonArray("data");
    return data.stream().map(c -> ((JsonObject) c).getString("name")).toList();
  }
}

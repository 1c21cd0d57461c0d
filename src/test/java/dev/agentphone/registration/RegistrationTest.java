package dev.agentphone.registration;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/register} and {@code GET /v1/register/status} over HTTP in sandbox mode: the
 * field rules per registration type, who is registered (a new sub-account, the caller's account,
 * the sub-account a request acts for), the fee on the main account, one open registration per
 * account, and isolation between accounts. The schedule is long here, so nothing advances.
 */
class RegistrationTest {
  private static TestEngine server;
  private static Api api;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config("registration.sandboxStageSeconds", 3600).start();
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> badFields(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(422);
    return response.json().getJsonArray("detail").stream().map(JsonObject.class::cast)
        .map(d -> d.getJsonArray("loc").getString(1)).collect(Collectors.toList());
  }

  @Test
  void eachMissingOrInvalidFieldIsNamedInOne422() {
    JsonObject account = server.signUp("reg-422-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    assertThat(badFields(api.post("/v1/register", key, new JsonObject()
        .put("registration_type", "sole_proprietor"))))
        .containsExactlyInAnyOrder("first_name", "last_name", "email", "phone_number",
            "street_address", "city", "state", "zip_code", "description", "use_cases",
            "message_samples", "consent_flow", "opt_in_image_url");
    // a standard brand needs the business, its type, the contact's title, the EIN and policies
    assertThat(badFields(api.post("/v1/register", key, Registrations.soleProprietor()
        .put("registration_type", "standard_brand"))))
        .containsExactlyInAnyOrder("business_name", "organization_type", "contact_title", "ein",
            "privacy_policy_url", "terms_of_service_url");
    assertThat(badFields(api.post("/v1/register", key, Registrations.standardBrand()
        .put("contact_title", "other")))).containsExactly("contact_title_other");
    assertThat(badFields(api.post("/v1/register", key, Registrations.soleProprietor()
        .put("registration_type", "charity")))).containsExactly("registration_type");

    Api.Response invalid = api.post("/v1/register", key, Registrations.standardBrand()
        .put("email", "ada-at-example.com")
        .put("opt_in_image_url", "http://example.com/opt-in.png")
        .put("privacy_policy_url", "not a url")
        .put("organization_type", "guild")
        .put("description", "Too short to explain anything.")
        .put("use_cases", new JsonArray().add("gossip"))
        .put("volume", "enormous")
        .put("create_sub_account", "yes"));
    assertThat(badFields(invalid)).containsExactlyInAnyOrder("email", "opt_in_image_url",
        "privacy_policy_url", "organization_type", "description", "use_cases", "volume",
        "create_sub_account");
    assertThat(invalid.body()).contains("https");

    // samples: 2 to 5, 20 to 1024 characters, each naming the brand when there is one
    assertThat(badFields(api.post("/v1/register", key, Registrations.standardBrand()
        .put("message_samples", new JsonArray().add("Acme Orders: your order shipped.")))))
        .containsExactly("message_samples");
    assertThat(badFields(api.post("/v1/register", key, Registrations.standardBrand()
        .put("message_samples", new JsonArray().add("Your order 1042 has shipped today.")
            .add("Acme Orders: your order 1042 was delivered."))))).containsExactly("message_samples");
    assertThat(badFields(api.post("/v1/register", key, Registrations.soleProprietor()
        .put("use_cases", new JsonArray())))).containsExactly("use_cases");

    // nothing was stored or charged for any of these
    assertThat(api.get("/v1/register/status", key).json().getString("campaign_status"))
        .isEqualTo("none");
    assertThat(server.sql("SELECT id FROM charges WHERE description LIKE 'A2P%' "
        + "AND account_id = ?", account.getString("account_id"))).isEmpty();
    assertThat(api.get("/v1/sub-accounts", key).json().getJsonArray("data")).isEmpty();
  }

  @Test
  void noInputOfTheWrongShapeIsAServerError() {
    String key = server.newKey();
    Object[] odd = {null, 7, 1.5, true, "", " ", "x".repeat(5000), "\uD83D\uDE00 emoji",
        new JsonArray(), new JsonArray().add(1).add(new JsonObject()), new JsonObject(),
        new JsonArray().add("account_notification").add(null), "https://", "https:///path",
        "ftp://example.com/x.png", "https://exa mple.com/x", 1e30};
    JsonObject valid = Registrations.standardBrand().put("contact_title", "other")
        .put("contact_title_other", "Owner").put("create_sub_account", false);
    for (String field : valid.fieldNames()) {
      for (Object value : odd) {
        Api.Response response = api.post("/v1/register", key, valid.copy().put(field, value));
        assertThat(response.status()).as(field + " = " + value + ": " + response.body())
            .isIn(200, 409, 422);
      }
    }
    for (String body : new String[] {"[]", "\"text\"", "{", "null", "{\"registration_type\": {}}"}) {
      assertThat(api.send("POST", "/v1/register", key, body, "application/json").status())
          .as(body).isEqualTo(422);
    }
  }

  @Test
  void byDefaultASubAccountIsCreatedAndRegisteredWhileTheMainAccountPays() {
    JsonObject account = server.signUp("reg-sub-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String main = account.getString("account_id");

    Api.Response none = api.get("/v1/register/status", key);
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.json().getString("campaign_status")).isEqualTo("none");
    assertThat(none.json().getString("message")).contains("POST /v1/register");

    Api.Response made = api.post("/v1/register", key, Registrations.standardBrand());
    assertThat(made.status()).as(made.body()).isEqualTo(200);
    JsonObject answer = made.json();
    assertThat(answer.getBoolean("ok")).isTrue();
    assertThat(answer.getString("campaign_status")).isEqualTo("pending");
    assertThat(answer.getInteger("fee_cents")).isEqualTo(2500);
    String sub = answer.getString("sub_account_id");
    assertThat(sub).startsWith("sub_");

    // the sub-account is a real one of the main account, named after the brand
    JsonObject child = api.get("/v1/sub-accounts", key).json().getJsonArray("data")
        .getJsonObject(0);
    assertThat(child.getString("id")).isEqualTo(sub);
    assertThat(child.getString("name")).isEqualTo("Acme Orders (10DLC)");

    // its status is read with X-Sub-Account-Id; the main account's own points there
    JsonObject status = api.asSubAccount(sub).get("/v1/register/status", key).json();
    assertThat(status.getString("campaign_status")).isEqualTo("pending");
    assertThat(status.getString("stage")).isEqualTo("brand_submitted");
    JsonObject mainStatus = api.get("/v1/register/status", key).json();
    assertThat(mainStatus.getString("campaign_status")).isEqualTo("none");
    assertThat(mainStatus.getString("message")).contains(sub).contains("X-Sub-Account-Id");

    // the fee is on the main account, once
    List<Map<String, Object>> charges = server.sql("SELECT account_id, amount_cents FROM charges "
        + "WHERE description LIKE 'A2P 10DLC%' AND description LIKE ?", "%" + sub + "%");
    assertThat(charges).hasSize(1);
    assertThat(charges.get(0).get("account_id")).isEqualTo(main);
    assertThat(charges.get(0).get("amount_cents")).isEqualTo(2500);

    // the audit log names the registration and for whom, not the person's details
    Api.Response audit = api.get("/v1/audit-log?objectType=registration", key);
    JsonObject entry = audit.json().getJsonArray("data").getJsonObject(0);
    assertThat(entry.getString("action")).isEqualTo("create");
    assertThat(entry.getJsonObject("changes").getJsonObject("registeredAccountId")
        .getString("to")).isEqualTo(sub);
    assertThat(audit.body()).doesNotContain(Registrations.standardBrand().getString("email"));

    // each registration with create_sub_account gets its own sub-account
    Api.Response second = api.post("/v1/register", key, Registrations.standardBrand());
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().getString("sub_account_id")).isNotEqualTo(sub);
  }

  @Test
  void oneOpenRegistrationPerAccountAndANewOneAfterRejection() {
    String key = server.newKey();
    JsonObject own = Registrations.soleProprietor().put("create_sub_account", false);
    Api.Response first = api.post("/v1/register", key, own);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().getValue("sub_account_id")).isNull();
    assertThat(api.get("/v1/sub-accounts", key).json().getJsonArray("data")).isEmpty();
    assertThat(api.get("/v1/register/status", key).json().getString("campaign_status"))
        .isEqualTo("pending");

    Api.Response again = api.post("/v1/register", key, own);
    assertThat(again.status()).isEqualTo(409);
    assertThat((String) again.detail()).contains("pending").contains("GET /v1/register/status");

    // the sandbox's carriers reject it: a new registration may then be submitted
    Api.Response rejected = api.post("/sandbox/registration", key, new JsonObject()
        .put("decision", "reject").put("reason", "the opt-in screenshot is unreadable"));
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
    assertThat(rejected.json().getString("campaign_status")).isEqualTo("rejected");
    JsonObject status = api.get("/v1/register/status", key).json();
    assertThat(status.getString("campaign_status")).isEqualTo("rejected");
    assertThat(status.getString("message")).contains("the opt-in screenshot is unreadable")
        .contains("POST /v1/register");
    assertThat(api.post("/sandbox/registration", key, new JsonObject().put("decision", "approve"))
        .status()).isEqualTo(404);

    assertThat(api.post("/v1/register", key, own).status()).isEqualTo(200);
    Api.Response approved = api.post("/sandbox/registration", key,
        new JsonObject().put("decision", "approve"));
    assertThat(approved.json().getString("campaign_status")).isEqualTo("approved");
    assertThat(approved.json().getString("stage")).isEqualTo("campaign_approved");
    Api.Response afterApproval = api.post("/v1/register", key, own);
    assertThat(afterApproval.status()).isEqualTo(409);
    assertThat((String) afterApproval.detail()).contains("approved");
  }

  @Test
  void aRequestActingForASubAccountRegistersThatSubAccount() {
    String key = server.newKey();
    String sub = api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Berlin"))
        .json().getString("id");
    Api.Response made = api.asSubAccount(sub).post("/v1/register", key,
        Registrations.soleProprietor());
    assertThat(made.status()).as(made.body()).isEqualTo(200);
    assertThat(made.json().getString("sub_account_id")).isEqualTo(sub);
    // no sub-account of the sub-account, and the parent still has just the one
    assertThat(api.get("/v1/sub-accounts", key).json().getJsonArray("data")).hasSize(1);
    assertThat(api.asSubAccount(sub).get("/v1/register/status", key).json()
        .getString("campaign_status")).isEqualTo("pending");
    assertThat(api.asSubAccount(sub).post("/v1/register", key, Registrations.soleProprietor())
        .status()).isEqualTo(409);
  }

  @Test
  void registrationsAreTheirAccountsOwn() {
    String alice = server.newKey();
    String bob = server.newKey();
    String alicesSub = api.post("/v1/register", alice, Registrations.soleProprietor()).json()
        .getString("sub_account_id");
    assertThat(api.post("/v1/register", alice, Registrations.soleProprietor()
        .put("create_sub_account", false)).status()).isEqualTo(200);

    assertThat(api.get("/v1/register/status", bob).json().getString("campaign_status"))
        .isEqualTo("none");
    assertThat(api.get("/v1/register/status", bob).json().getString("message"))
        .doesNotContain(alicesSub);
    assertThat(api.asSubAccount(alicesSub).get("/v1/register/status", bob).status())
        .isEqualTo(404);
    // Bob's sandbox decision cannot touch Alice's registration
    assertThat(api.post("/sandbox/registration", bob, new JsonObject().put("decision", "approve"))
        .status()).isEqualTo(404);
    assertThat(api.asSubAccount(alicesSub).post("/sandbox/registration", bob,
        new JsonObject().put("decision", "approve")).status()).isEqualTo(404);
    assertThat(api.get("/v1/register/status", alice).json().getString("campaign_status"))
        .isEqualTo("pending");
    assertThat(api.post("/v1/register", null, Registrations.soleProprietor()).status())
        .isEqualTo(401);
  }
}

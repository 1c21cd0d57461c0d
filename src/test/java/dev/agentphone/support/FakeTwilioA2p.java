package dev.agentphone.support;

import com.twilio.http.HttpMethod;
import com.twilio.http.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Trust Hub ({@code trusthub.twilio.com/v1}) and Messaging ({@code messaging.twilio.com/v1})
 * APIs for A2P 10DLC, as {@link FakeTwilio} answers them: customer profiles, trust products, end
 * users and their entity assignments, brand registrations, messaging services and their US A2P
 * campaigns, in Twilio's JSON (snake_case, {@code sid}, {@code status} /
 * {@code campaign_status}). A test plays the carriers' review with {@link #reviewBrands} and
 * {@link #reviewCampaigns}.
 */
final class FakeTwilioA2p {
  static final String TRUSTHUB = "https://trusthub.twilio.com";
  static final String MESSAGING = "https://messaging.twilio.com";
  private static final String DATE = "2026-11-25T17:00:00Z";
  private static final Pattern ONE = Pattern.compile(
      "/v1/(CustomerProfiles|TrustProducts|EndUsers|a2p/BrandRegistrations|Services)/(\\w+)");
  private static final Pattern ASSIGN = Pattern.compile(
      "/v1/(CustomerProfiles|TrustProducts)/(BU\\w+)/EntityAssignments");
  private static final Pattern CAMPAIGNS = Pattern.compile("/v1/Services/(MG\\w+)/Compliance/Usa2p");
  private static final Pattern CAMPAIGN = Pattern.compile(
      "/v1/Services/(MG\\w+)/Compliance/Usa2p/(QE\\w+)");

  /** Everything created, by sid. */
  final Map<String, JsonObject> objects = new ConcurrentHashMap<>();
  private final AtomicInteger counter;

  FakeTwilioA2p(AtomicInteger counter) {
    this.counter = counter;
  }

  static boolean handles(String url) {
    return url.startsWith(TRUSTHUB + "/") || url.startsWith(MESSAGING + "/");
  }

  /** The carriers' verdict on every brand registered so far. */
  void reviewBrands(String status, String failureReason) {
    objects.values().stream().filter(o -> o.getString("sid").startsWith("BN"))
        .forEach(o -> o.put("status", status).put("failure_reason", failureReason));
  }

  /** The carriers' verdict on every campaign registered so far. */
  void reviewCampaigns(String status) {
    objects.values().stream().filter(o -> o.getString("sid").startsWith("QE"))
        .forEach(o -> o.put("campaign_status", status));
  }

  Response answer(HttpMethod method, String path, Map<String, String> form,
      Map<String, List<String>> values) {
    Matcher campaign = CAMPAIGN.matcher(path);
    if (campaign.matches()) {
      return found(campaign.group(2));
    }
    Matcher campaigns = CAMPAIGNS.matcher(path);
    if (campaigns.matches() && method == HttpMethod.POST) {
      if (!objects.containsKey(campaigns.group(1))) {
        return FakeTwilio.error(404, 20404, "The requested resource " + path + " was not found");
      }
      return created(base("QE").put("messaging_service_sid", campaigns.group(1))
          .put("brand_registration_sid", form.get("BrandRegistrationSid"))
          .put("description", form.get("Description")).put("message_flow", form.get("MessageFlow"))
          .put("message_samples", new JsonArray(List.copyOf(values.getOrDefault("MessageSamples",
              List.of()))))
          .put("us_app_to_person_usecase", form.get("UsAppToPersonUsecase"))
          .put("has_embedded_links", Boolean.valueOf(form.get("HasEmbeddedLinks")))
          .put("has_embedded_phone", Boolean.valueOf(form.get("HasEmbeddedPhone")))
          .put("campaign_status", "PENDING").put("campaign_id", null).put("errors", new JsonArray())
          .put("is_externally_registered", false).put("mock", false));
    }
    Matcher assign = ASSIGN.matcher(path);
    if (assign.matches() && method == HttpMethod.POST) {
      return created(base("BV").put(assign.group(1).equals("CustomerProfiles")
          ? "customer_profile_sid" : "trust_product_sid", assign.group(2))
          .put("object_sid", form.get("ObjectSid")));
    }
    Matcher one = ONE.matcher(path);
    if (one.matches()) {
      JsonObject object = objects.get(one.group(2));
      if (object == null) {
        return FakeTwilio.error(404, 20404, "The requested resource " + path + " was not found");
      }
      if (method == HttpMethod.POST && form.containsKey("Status")) {
        object.put("status", form.get("Status"));
      }
      return new Response(object.encode(), 200);
    }
    if (method != HttpMethod.POST) {
      return FakeTwilio.error(404, 20404, "The requested resource " + path + " was not found");
    }
    return switch (path) {
      case "/v1/CustomerProfiles", "/v1/TrustProducts" -> created(base("BU")
          .put("friendly_name", form.get("FriendlyName")).put("email", form.get("Email"))
          .put("policy_sid", form.get("PolicySid")).put("status", "draft")
          .put("errors", null).put("valid_until", null));
      case "/v1/EndUsers" -> created(base("IT").put("friendly_name", form.get("FriendlyName"))
          .put("type", form.get("Type"))
          .put("attributes", new JsonObject(form.getOrDefault("Attributes", "{}"))));
      case "/v1/a2p/BrandRegistrations" -> created(base("BN")
          .put("customer_profile_bundle_sid", form.get("CustomerProfileBundleSid"))
          .put("a2p_profile_bundle_sid", form.get("A2PProfileBundleSid"))
          .put("brand_type", form.get("BrandType")).put("status", "PENDING")
          .put("failure_reason", null).put("errors", new JsonArray()).put("mock", false)
          .put("tcr_id", null).put("brand_score", null));
      case "/v1/Services" -> created(base("MG").put("friendly_name", form.get("FriendlyName"))
          .put("usecase", "undeclared"));
      default -> FakeTwilio.error(404, 20404, "The requested resource " + path + " was not found");
    };
  }

  private JsonObject base(String prefix) {
    return new JsonObject().put("sid", prefix + String.format("%032x", counter.incrementAndGet()))
        .put("account_sid", FakeTwilio.ACCOUNT_SID).put("date_created", DATE)
        .put("date_updated", DATE);
  }

  private Response created(JsonObject object) {
    objects.put(object.getString("sid"), object);
    return new Response(object.encode(), 201);
  }

  private Response found(String sid) {
    JsonObject object = objects.get(sid);
    return object == null ? FakeTwilio.error(404, 20404, "The requested resource was not found")
        : new Response(object.encode(), 200);
  }
}

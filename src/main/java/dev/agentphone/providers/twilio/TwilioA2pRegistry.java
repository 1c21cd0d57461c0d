package dev.agentphone.providers.twilio;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.messaging.v1.BrandRegistration;
import com.twilio.rest.messaging.v1.Service;
import com.twilio.rest.messaging.v1.service.UsAppToPerson;
import com.twilio.rest.trusthub.v1.CustomerProfiles;
import com.twilio.rest.trusthub.v1.EndUser;
import com.twilio.rest.trusthub.v1.TrustProducts;
import com.twilio.rest.trusthub.v1.customerprofiles.CustomerProfilesEntityAssignments;
import com.twilio.rest.trusthub.v1.trustproducts.TrustProductsEntityAssignments;
import dev.agentphone.providers.a2p.A2pRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A2P 10DLC through Twilio's Trust Hub and Messaging APIs, with the official SDK on worker
 * threads. A brand is a customer profile (Trust Hub, with the business or person as its end
 * user), an A2P profile (a trust product holding the messaging profile and the customer profile)
 * and a brand registration naming both. A campaign is a messaging service with a US A2P campaign
 * ({@code UsAppToPerson}) of the approved brand.
 *
 * <p>What this leaves to the account owner at Twilio: supporting documents and the business
 * address object some profiles need, and adding phone numbers to the messaging service.
 */
public final class TwilioA2pRegistry implements A2pRegistry {
  /** Trust Hub policies: starter and secondary customer profiles, sole proprietor and standard A2P. */
  static final String STARTER_PROFILE_POLICY = "RN806dd6cd175f314e1f96a9727ee271f4";
  static final String SECONDARY_PROFILE_POLICY = "RNdfbf3fae0e1107f8aded0e7cead80bf5";
  static final String SOLE_PROPRIETOR_A2P_POLICY = "RN670d5d2e282a6130ae063b234b6019c8";
  static final String STANDARD_A2P_POLICY = "RNb0d4771c2c98518d916a3d4cd70a8f8b";

  private final Vertx vertx;
  private final TwilioRestClient client;

  public TwilioA2pRegistry(Vertx vertx, TwilioRestClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  @Override
  public Future<JsonObject> submitBrand(String reference, JsonObject r) {
    return blocking("register the brand", () -> {
      boolean sole = "sole_proprietor".equals(r.getString("registration_type"));
      String name = displayName(r) + " (" + reference + ")";
      String email = r.getString("email");
      CustomerProfiles profile = CustomerProfiles.creator(name, email,
          sole ? STARTER_PROFILE_POLICY : SECONDARY_PROFILE_POLICY).create(client);
      EndUser business = EndUser.creator(name, sole ? "starter_customer_profile_information"
          : "customer_profile_business_information").setAttributes(businessAttributes(r))
          .create(client);
      CustomerProfilesEntityAssignments.creator(profile.getSid(), business.getSid())
          .create(client);
      CustomerProfiles.updater(profile.getSid())
          .setStatus(CustomerProfiles.Status.PENDING_REVIEW).update(client);

      TrustProducts a2p = TrustProducts.creator(name, email,
          sole ? SOLE_PROPRIETOR_A2P_POLICY : STANDARD_A2P_POLICY).create(client);
      EndUser messaging = EndUser.creator(name, sole ? "sole_proprietor_information"
          : "us_a2p_messaging_profile_information").setAttributes(messagingAttributes(r))
          .create(client);
      TrustProductsEntityAssignments.creator(a2p.getSid(), messaging.getSid()).create(client);
      TrustProductsEntityAssignments.creator(a2p.getSid(), profile.getSid()).create(client);
      TrustProducts.updater(a2p.getSid()).setStatus(TrustProducts.Status.PENDING_REVIEW)
          .update(client);

      BrandRegistration brand = BrandRegistration.creator(profile.getSid(), a2p.getSid())
          .setBrandType(sole ? "SOLE_PROPRIETOR" : "STANDARD").create(client);
      return new JsonObject().put("customerProfileSid", profile.getSid())
          .put("a2pProfileSid", a2p.getSid()).put("brandSid", brand.getSid());
    });
  }

  @Override
  public Future<Review> brandReview(String brandSid) {
    return blocking("read the brand's review", () -> {
      BrandRegistration brand = BrandRegistration.fetcher(brandSid).fetch(client);
      BrandRegistration.Status status = brand.getStatus();
      if (status == BrandRegistration.Status.APPROVED) {
        return new Review(Outcome.APPROVED, null);
      }
      if (status == BrandRegistration.Status.FAILED || status == BrandRegistration.Status.SUSPENDED) {
        return new Review(Outcome.REJECTED, reason(brand.getFailureReason(), brand.getErrors(),
            "the carriers did not approve the brand"));
      }
      return new Review(Outcome.PENDING, null);
    });
  }

  @Override
  public Future<JsonObject> submitCampaign(String reference, String brandSid, JsonObject r) {
    return blocking("register the campaign", () -> {
      Service service = Service.creator(displayName(r) + " (" + reference + ")").create(client);
      JsonArray includes = r.getJsonArray("includes", new JsonArray());
      UsAppToPerson campaign = UsAppToPerson.creator(service.getSid(), brandSid,
              r.getString("description"), r.getString("consent_flow"),
              r.getJsonArray("message_samples").stream().map(String::valueOf).toList(),
              useCase(r), includes.contains("links"), includes.contains("phone_numbers"))
          .setAgeGated(includes.contains("age_gated"))
          .setDirectLending(includes.contains("direct_lending"))
          .create(client);
      return new JsonObject().put("messagingServiceSid", service.getSid())
          .put("campaignSid", campaign.getSid());
    });
  }

  @Override
  public Future<Review> campaignReview(String messagingServiceSid, String campaignSid) {
    return blocking("read the campaign's review", () -> {
      UsAppToPerson campaign = UsAppToPerson.fetcher(messagingServiceSid, campaignSid)
          .fetch(client);
      String status = campaign.getCampaignStatus() == null ? ""
          : campaign.getCampaignStatus().toUpperCase(Locale.ROOT);
      return switch (status) {
        case "VERIFIED" -> new Review(Outcome.APPROVED, null);
        case "FAILED", "SUSPENDED" -> new Review(Outcome.REJECTED, reason(null,
            campaign.getErrors(), "the carriers did not approve the campaign"));
        default -> new Review(Outcome.PENDING, null);
      };
    });
  }

  /**
   * Twilio's use case: a sole proprietor's campaign is always {@code SOLE_PROPRIETOR}; several use
   * cases make a {@code MIXED} campaign.
   */
  static String useCase(JsonObject r) {
    if ("sole_proprietor".equals(r.getString("registration_type"))) {
      return "SOLE_PROPRIETOR";
    }
    List<Object> cases = r.getJsonArray("use_cases").getList();
    if (cases.size() > 1) {
      return "MIXED";
    }
    String only = String.valueOf(cases.get(0));
    return "two_factor_authentication".equals(only) ? "2FA" : only.toUpperCase(Locale.ROOT);
  }

  private static String displayName(JsonObject r) {
    String brand = r.getString("brand_name");
    String business = r.getString("business_name");
    return brand != null ? brand : business != null ? business
        : r.getString("first_name") + " " + r.getString("last_name");
  }

  private static Map<String, Object> businessAttributes(JsonObject r) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("first_name", r.getString("first_name"));
    a.put("last_name", r.getString("last_name"));
    a.put("email", r.getString("email"));
    a.put("phone_number", r.getString("phone_number"));
    putIfSet(a, "business_name", r.getString("business_name"));
    putIfSet(a, "business_type", r.getString("organization_type"));
    putIfSet(a, "business_registration_identifier", r.getString("ein") == null ? null : "EIN");
    putIfSet(a, "business_registration_number", r.getString("ein"));
    putIfSet(a, "business_industry", r.getString("industry"));
    putIfSet(a, "website_url", r.getString("website_url"));
    putIfSet(a, "job_position", r.getString("contact_title"));
    putIfSet(a, "business_regions_of_operation",
        String.join(",", r.getJsonArray("business_regions").stream().map(String::valueOf).toList()));
    return a;
  }

  private static Map<String, Object> messagingAttributes(JsonObject r) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("first_name", r.getString("first_name"));
    a.put("last_name", r.getString("last_name"));
    a.put("email", r.getString("email"));
    a.put("phone_number", r.getString("phone_number"));
    putIfSet(a, "brand_name", displayName(r));
    putIfSet(a, "company_type", r.getString("organization_type"));
    putIfSet(a, "street", r.getString("street_address"));
    putIfSet(a, "street_secondary", r.getString("street_address_2"));
    putIfSet(a, "city", r.getString("city"));
    putIfSet(a, "region", r.getString("state"));
    putIfSet(a, "postal_code", r.getString("zip_code"));
    putIfSet(a, "iso_country", r.getString("country"));
    return a;
  }

  private static void putIfSet(Map<String, Object> attributes, String key, String value) {
    if (value != null && !value.isEmpty()) {
      attributes.put(key, value);
    }
  }

  private static String reason(String failure, List<Map<String, Object>> errors,
      String fallback) {
    if (failure != null && !failure.isBlank()) {
      return failure;
    }
    if (errors != null && !errors.isEmpty()) {
      Object description = errors.get(0).get("description");
      if (description != null) {
        return String.valueOf(description);
      }
    }
    return fallback;
  }

  private <T> Future<T> blocking(String what, Callable<T> call) {
    return vertx.executeBlocking(call, false).recover(failure ->
        Future.failedFuture(TwilioTelephony.translate(what, failure)));
  }
}

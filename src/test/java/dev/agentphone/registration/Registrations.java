package dev.agentphone.registration;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Registration requests as a customer would send them. */
final class Registrations {
  private Registrations() {
  }

  /** The 14 fields a sole proprietor must send. */
  static JsonObject soleProprietor() {
    return new JsonObject()
        .put("registration_type", "sole_proprietor").put("first_name", "Ada")
        .put("last_name", "Lovelace").put("email", "ada@example.com")
        .put("phone_number", "+12125550123").put("street_address", "1 Main St")
        .put("city", "New York").put("state", "NY").put("zip_code", "10001")
        .put("description", "Ada's bakery texts customers when their cake orders are ready.")
        .put("use_cases", new JsonArray().add("account_notification"))
        .put("message_samples", new JsonArray().add("Your cake order 12 is ready for pickup.")
            .add("Reminder: pick up your cake order 12 today."))
        .put("consent_flow", "Customers tick an SMS opt-in box on the order form before paying.")
        .put("opt_in_image_url", "https://example.com/opt-in.png");
  }

  /** A standard brand with everything it must send. */
  static JsonObject standardBrand() {
    return soleProprietor().put("registration_type", "standard_brand")
        .put("business_name", "Acme Orders LLC").put("brand_name", "Acme Orders")
        .put("organization_type", "llc").put("contact_title", "ceo").put("ein", "12-3456789")
        .put("privacy_policy_url", "https://acme.example.com/privacy")
        .put("terms_of_service_url", "https://acme.example.com/terms")
        .put("use_cases", new JsonArray().add("delivery_notification").add("customer_care"))
        .put("includes", new JsonArray().add("links"))
        .put("message_samples", new JsonArray().add("Acme Orders: your order 1042 has shipped.")
            .add("Acme Orders: your order 1042 was delivered."));
  }
}

package dev.agentphone.registration;

import dev.agentphone.http.Validator;
import dev.agentphone.platform.PhoneNumbers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code POST /v1/register} (snake_case, as the official client sends it) with the rules of
 * the SDK's documentation: the fields every registration needs, the ones a {@code standard_brand}
 * adds, lengths, list sizes, enums, an email address that parses and https URLs. Every violation
 * is collected into one 422. The answer is the request with its defaults filled in.
 */
final class RegistrationRequest {
  static final String SOLE_PROPRIETOR = "sole_proprietor";
  static final String STANDARD_BRAND = "standard_brand";
  static final List<String> TYPES = List.of(SOLE_PROPRIETOR, STANDARD_BRAND);
  static final List<String> ORGANIZATION_TYPES = List.of("sole_proprietor", "private_corporation",
      "public_corporation", "llc", "partnership", "non_profit", "co_op", "government");
  static final List<String> CONTACT_TITLES = List.of("ceo", "cfo", "cto", "coo", "vp", "gm",
      "director", "other");
  static final List<String> USE_CASES = List.of("account_notification", "customer_care",
      "delivery_notification", "fraud_alert", "higher_education", "marketing", "polling_voting",
      "public_service_announcement", "security_alert", "two_factor_authentication");
  static final List<String> VOLUMES = List.of("low", "high");
  static final List<String> INCLUDES = List.of("links", "phone_numbers", "age_gated",
      "direct_lending");

  private static final List<String> ALWAYS = List.of("first_name", "last_name", "street_address",
      "city", "state", "zip_code");
  private static final List<String> OPTIONAL_TEXT = List.of("brand_name", "contact_title_other",
      "industry", "street_address_2", "ein", "business_name");
  private static final List<String> OPTIONAL_URLS = List.of("website_url", "privacy_policy_url",
      "terms_of_service_url", "link_sample");
  private static final int MIN_PROSE = 40;
  private static final int MAX_TEXT = 2048;
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");
  /** A publicly shared Google Drive file's page, which the docs promise to turn into the file. */
  private static final Pattern DRIVE = Pattern.compile(
      "^https://drive\\.google\\.com/file/d/([\\w-]+)/view.*$");

  private RegistrationRequest() {
  }

  /** The checked request, defaults filled in; throws the 422 when anything is wrong. */
  static JsonObject read(Validator body) {
    JsonObject out = new JsonObject();
    String type = body.requiredEnum("registration_type", TYPES);
    out.put("registration_type", type);
    for (String field : ALWAYS) {
      out.put(field, text(body, field, true, 1));
    }
    for (String field : OPTIONAL_TEXT) {
      out.put(field, text(body, field, false, 1));
    }
    out.put("email", email(body));
    out.put("phone_number", phone(body));
    out.put("description", text(body, "description", true, MIN_PROSE));
    out.put("consent_flow", text(body, "consent_flow", true, MIN_PROSE));
    out.put("organization_type", body.optionalEnum("organization_type", ORGANIZATION_TYPES));
    out.put("contact_title", body.optionalEnum("contact_title", CONTACT_TITLES));
    out.put("volume", def(body.optionalEnum("volume", VOLUMES), "low"));
    out.put("country", def(text(body, "country", false, 2), "US"));
    Integer planned = body.optionalIntBetween("planned_numbers", 1, 10_000);
    out.put("planned_numbers", planned == null ? 1 : planned);
    JsonArray regions = body.optionalStringArray("business_regions");
    out.put("business_regions", regions == null ? new JsonArray().add("usa_and_canada") : regions);
    out.put("use_cases", enumList(body, "use_cases", USE_CASES, 1, 5, true));
    JsonArray includes = enumList(body, "includes", INCLUDES, 0, INCLUDES.size(), false);
    out.put("includes", includes == null ? new JsonArray() : includes);
    String optIn = url(body, "opt_in_image_url", true);
    Matcher drive = optIn == null ? null : DRIVE.matcher(optIn);
    out.put("opt_in_image_url", drive != null && drive.matches()
        ? "https://drive.google.com/uc?export=download&id=" + drive.group(1) : optIn);
    for (String field : OPTIONAL_URLS) {
      out.put(field, url(body, field, false));
    }
    out.put("create_sub_account", bool(body, "create_sub_account", true));
    if (STANDARD_BRAND.equals(type)) {
      for (String field : List.of("business_name", "organization_type", "contact_title", "ein",
          "privacy_policy_url", "terms_of_service_url")) {
        requiredFor(body, field, "standard_brand");
      }
    }
    if ("other".equals(out.getString("contact_title"))) {
      requiredFor(body, "contact_title_other", "contact_title 'other'");
    }
    out.put("message_samples", samples(body, brandName(out)));
    body.check();
    return out;
  }

  /** The name customers know the sender by: the brand, else the business; null for a person. */
  static String brandName(JsonObject request) {
    String brand = request.getString("brand_name");
    return brand != null && !brand.isBlank() ? brand : request.getString("business_name");
  }

  private static String def(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static String text(Validator body, String field, boolean required, int min) {
    String value = required ? body.requiredString(field) : body.optionalString(field);
    if (value == null) {
      return null;
    }
    String stripped = value.strip();
    if (stripped.codePointCount(0, stripped.length()) < min) {
      body.reject(field, "string_too_short",
          "String should have at least " + min + " character" + (min == 1 ? "" : "s"));
      return null;
    }
    if (stripped.length() > MAX_TEXT) {
      body.reject(field, "string_too_long", "String should have at most " + MAX_TEXT
          + " characters");
      return null;
    }
    return stripped;
  }

  private static void requiredFor(Validator body, String field, String why) {
    // a blank value was already refused by its own check
    if (body.raw().getValue(field) == null) {
      body.reject(field, "missing", "Field required for " + why);
    }
  }

  private static String email(Validator body) {
    String email = text(body, "email", true, 1);
    if (email != null && !EMAIL.matcher(email).matches()) {
      body.reject("email", "value_error", "value is not a valid email address: " + email);
      return null;
    }
    return email;
  }

  private static String phone(Validator body) {
    String raw = text(body, "phone_number", true, 1);
    if (raw == null) {
      return null;
    }
    String e164 = PhoneNumbers.e164(raw, "US");
    if (e164 == null) {
      body.reject("phone_number", "value_error", PhoneNumbers.invalid(raw)
          + " (E.164 format, e.g. +15551234567)");
    }
    return e164;
  }

  /** An absolute https URL with a host; anything else is a 422 naming the field. */
  private static String url(Validator body, String field, boolean required) {
    String value = text(body, field, required, 1);
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      body.reject(field, "url_parsing", "Input should be a valid URL");
      return null;
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      body.reject(field, "url_parsing", "Input should be a valid URL, with a scheme and a host");
      return null;
    }
    if (!"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
      body.reject(field, "url_scheme", "URL scheme should be 'https': the carriers' reviewers "
          + "open it, so it must be a publicly accessible HTTPS URL");
      return null;
    }
    return value;
  }

  private static boolean bool(Validator body, String field, boolean fallback) {
    Object value = body.raw().getValue(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    body.reject(field, "bool_type", "Input should be a valid boolean");
    return fallback;
  }

  private static JsonArray enumList(Validator body, String field, List<String> allowed, int min,
      int max, boolean required) {
    if (required && body.raw().getValue(field) == null) {
      body.reject(field, "missing", "Field required");
      return null;
    }
    JsonArray values = body.optionalStringArray(field);
    if (values == null) {
      return null;
    }
    if (!sized(body, field, values, min, max)) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (Object value : values) {
      if (!allowed.contains(value)) {
        body.reject(field, "enum", "Each item should be one of " + String.join(", ", allowed)
            + "; got '" + value + "'");
        return null;
      }
      if (!out.contains(value)) {
        out.add(value);
      }
    }
    return out;
  }

  private static boolean sized(Validator body, String field, JsonArray values, int min, int max) {
    if (values.size() < min) {
      body.reject(field, "too_short", "List should have at least " + min + " item"
          + (min == 1 ? "" : "s") + " after validation, not " + values.size());
      return false;
    }
    if (values.size() > max) {
      body.reject(field, "too_long", "List should have at most " + max + " items after "
          + "validation, not " + values.size());
      return false;
    }
    return true;
  }

  /** 2 to 5 samples of 20 to 1024 characters, each naming the brand when there is one. */
  private static JsonArray samples(Validator body, String brand) {
    if (body.raw().getValue("message_samples") == null) {
      body.reject("message_samples", "missing", "Field required");
      return null;
    }
    JsonArray samples = body.optionalStringArray("message_samples");
    if (samples == null || !sized(body, "message_samples", samples, 2, 5)) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (Object sample : samples) {
      String text = ((String) sample).strip();
      int length = text.codePointCount(0, text.length());
      if (length < 20 || length > 1024) {
        body.reject("message_samples", "string_length", "Each sample should have 20 to 1024 "
            + "characters; one has " + length);
        return null;
      }
      if (brand != null && !text.toLowerCase(Locale.ROOT).contains(
          brand.toLowerCase(Locale.ROOT))) {
        body.reject("message_samples", "value_error", "Each sample should include your brand "
            + "name '" + brand + "', as carriers require");
        return null;
      }
      out.add(text);
    }
    return out;
  }
}

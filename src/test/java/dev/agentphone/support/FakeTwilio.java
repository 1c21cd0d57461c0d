package dev.agentphone.support;

import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's REST API as the real SDK sees it, plugged in under {@code TwilioRestClient}: available
 * local numbers, incoming numbers (create, update, delete) and messages (create) at
 * {@code api.twilio.com}, and Lookup v2 phone numbers at {@code lookups.twilio.com}, answered in
 * Twilio's JSON shapes, and Twilio's error JSON for failures a test queues up,
 * the Trust Hub and Messaging APIs of A2P 10DLC ({@link FakeTwilioA2p}) (A2P routes are named
 * with their host: {@code "POST messaging.twilio.com/v1/a2p/BrandRegistrations"}).
 */
public final class FakeTwilio extends HttpClient {
  public static final String ACCOUNT_SID = "AC11111111111111111111111111111111";
  public static final String AUTH_TOKEN = "twilio-test-auth-token";
  private static final String BASE = "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID;
  private static final Pattern AVAILABLE = Pattern.compile(
      "/AvailablePhoneNumbers/([A-Z]{2})/Local\\.json");
  private static final Pattern INCOMING = Pattern.compile("/IncomingPhoneNumbers/(PN\\w+)\\.json");
  private static final String DATE = "Wed, 25 Nov 2026 17:00:00 +0000";
  private static final String LOOKUPS = "https://lookups.twilio.com/v2/PhoneNumbers/";

  /**
   * One request as Twilio received it; {@code form} has each parameter's first value,
   * {@code formValues} all of them (the SDK repeats {@code MediaUrl} once per attachment).
   */
  public record Call(HttpMethod method, String path, Map<String, String> query,
      Map<String, String> form, Map<String, List<String>> formValues) {
  }

  public final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  /** Every Lookup v2 request: the phone number looked up and the {@code Fields} asked for. */
  public record Lookup(String phoneNumber, String fields) {
  }

  public final List<Lookup> lookups = Collections.synchronizedList(new ArrayList<>());
  /** Line Type Intelligence {@code type} by phone number; unlisted valid numbers are mobile. */
  public final Map<String, String> lineTypes = new ConcurrentHashMap<>();
  /** Numbers Lookup calls {@code valid: false} (no longer in service, say). */
  public final Set<String> invalidNumbers = ConcurrentHashMap.newKeySet();
  /** Incoming numbers held, by sid: {@code phone_number, sms_url, status_callback}. */
  public final Map<String, JsonObject> incoming = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedDeque<JsonObject>> failures = new ConcurrentHashMap<>();
  private final AtomicInteger counter = new AtomicInteger(100);
  private volatile boolean noneAvailable;
  private volatile long purchaseMillis;
  private final FakeTwilioA2p a2p = new FakeTwilioA2p(counter);

  /** The next request to {@code "POST /IncomingPhoneNumbers.json"} (say) fails with Twilio's error. */
  public void failNext(String methodAndPath, int status, int code, String message) {
    failures.computeIfAbsent(methodAndPath, k -> new ConcurrentLinkedDeque<>())
        .add(new JsonObject().put("code", code).put("message", message)
            .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status));
  }

  /** The carriers' verdict on every A2P brand registered so far ({@code APPROVED}, {@code FAILED}). */
  public void reviewBrands(String status, String failureReason) {
    a2p.reviewBrands(status, failureReason);
  }

  /** The carriers' verdict on every A2P campaign registered so far ({@code VERIFIED}, {@code FAILED}). */
  public void reviewCampaigns(String status) {
    a2p.reviewCampaigns(status);
  }

  /** A Trust Hub or Messaging object created through the fake, by sid; null if there is none. */
  public JsonObject a2pObject(String sid) {
    return a2p.objects.get(sid);
  }

  public void noneAvailable(boolean none) {
    this.noneAvailable = none;
  }

  /** Each purchase takes this long, as Twilio sometimes does (0: at once). */
  public void slowPurchases(long millis) {
    this.purchaseMillis = millis;
  }

  public List<Call> calls(HttpMethod method, String pathPart) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.method() == method && c.path().contains(pathPart))
          .toList();
    }
  }

  public void reset() {
    calls.clear();
    lookups.clear();
    lineTypes.clear();
    invalidNumbers.clear();
    failures.clear();
    noneAvailable = false;
    purchaseMillis = 0;
  }

  @Override
  public Response makeRequest(Request request) {
    String url = request.getUrl();
    if (url.startsWith(LOOKUPS)) {
      return lookup(request, url.substring(LOOKUPS.length()));
    }
    if (FakeTwilioA2p.handles(url)) {
      // recorded with its host: "trusthub.twilio.com/v1/EndUsers"
      String hostAndPath = url.substring("https://".length());
      String path = hostAndPath.substring(hostAndPath.indexOf('/'));
      Call call = new Call(request.getMethod(), hostAndPath, flat(request.getQueryParams()),
          flat(request.getPostParams()), Map.copyOf(request.getPostParams()));
      calls.add(call);
      String route = request.getMethod() + " " + hostAndPath.replaceAll("/[A-Z]{2}[0-9a-f]{32}",
          "/{sid}");
      ConcurrentLinkedDeque<JsonObject> queued = failures.get(route);
      JsonObject failure = queued == null ? null : queued.poll();
      if (failure != null) {
        return new Response(failure.encode(), failure.getInteger("status"));
      }
      return a2p.answer(request.getMethod(), path, call.form(), call.formValues());
    }
    if (!url.startsWith(BASE)) {
      return error(404, 20404, "The requested resource " + url + " was not found");
    }
    String path = url.substring(BASE.length());
    Call call = new Call(request.getMethod(), path, flat(request.getQueryParams()),
        flat(request.getPostParams()), Map.copyOf(request.getPostParams()));
    calls.add(call);
    String route = request.getMethod() + " " + path.replaceAll("PN\\w+", "{sid}")
        .replaceAll("/AvailablePhoneNumbers/[A-Z]{2}/", "/AvailablePhoneNumbers/{country}/");
    ConcurrentLinkedDeque<JsonObject> queued = failures.get(route);
    JsonObject failure = queued == null ? null : queued.poll();
    if (failure != null) {
      return new Response(failure.encode(), failure.getInteger("status"));
    }
    Matcher available = AVAILABLE.matcher(path);
    if (request.getMethod() == HttpMethod.GET && available.matches()) {
      return available(available.group(1), call.query().get("AreaCode"), path);
    }
    if (request.getMethod() == HttpMethod.POST && path.equals("/IncomingPhoneNumbers.json")) {
      pause(purchaseMillis);
      String sid = "PN" + hex32();
      JsonObject number = incomingJson(sid, call.form().get("PhoneNumber"));
      incoming.put(sid, number);
      return new Response(number.encode(), 201);
    }
    Matcher one = INCOMING.matcher(path);
    if (one.matches()) {
      JsonObject number = incoming.get(one.group(1));
      if (number == null) {
        return error(404, 20404, "The requested resource " + path + " was not found");
      }
      if (request.getMethod() == HttpMethod.DELETE) {
        incoming.remove(one.group(1));
        return new Response("", 204);
      }
      if (call.form().containsKey("SmsUrl")) {
        number.put("sms_url", call.form().get("SmsUrl"));
      }
      if (call.form().containsKey("SmsMethod")) {
        number.put("sms_method", call.form().get("SmsMethod"));
      }
      if (call.form().containsKey("StatusCallback")) {
        number.put("status_callback", call.form().get("StatusCallback"));
      }
      return new Response(number.encode(), 200);
    }
    if (request.getMethod() == HttpMethod.POST && path.equals("/Messages.json")) {
      return new Response(messageJson(call.form(),
          call.formValues().getOrDefault("MediaUrl", List.of()).size()).encode(), 201);
    }
    return error(404, 20404, "The requested resource " + path + " was not found");
  }

  /**
   * Lookup v2 ({@code GET /v2/PhoneNumbers/{number}?Fields=line_type_intelligence}) as Twilio
   * answers it: a number that is not {@code +} and 8 to 15 digits, or is one of
   * {@link #invalidNumbers}, is {@code valid: false} with no data packages; failures queue
   * under {@code "GET /v2/PhoneNumbers/{number}"}.
   */
  private Response lookup(Request request, String encodedNumber) {
    // a path segment: "+" is itself there, %2B its escaped form
    String number = URLDecoder.decode(encodedNumber.replace("+", "%2B"), StandardCharsets.UTF_8);
    String fields = flat(request.getQueryParams()).get("Fields");
    lookups.add(new Lookup(number, fields));
    ConcurrentLinkedDeque<JsonObject> queued = failures.get("GET /v2/PhoneNumbers/{number}");
    JsonObject failure = queued == null ? null : queued.poll();
    if (failure != null) {
      return new Response(failure.encode(), failure.getInteger("status"));
    }
    boolean valid = number.matches("\\+[1-9]\\d{7,14}") && !invalidNumbers.contains(number);
    JsonObject lineType = null;
    if (valid && fields != null && fields.contains("line_type_intelligence")) {
      lineType = new JsonObject().put("error_code", null).put("mobile_country_code", "310")
          .put("mobile_network_code", "456").put("carrier_name", "Verizon Wireless")
          .put("type", lineTypes.getOrDefault(number, "mobile"));
    }
    String digits = number.replaceAll("\\D", "");
    return new Response(new JsonObject()
        .put("calling_country_code", valid ? "1" : null)
        .put("country_code", valid ? "US" : null)
        .put("phone_number", number)
        .put("national_format", valid && digits.length() == 11 ? "(" + digits.substring(1, 4)
            + ") " + digits.substring(4, 7) + "-" + digits.substring(7) : null)
        .put("valid", valid)
        .put("validation_errors", valid ? new JsonArray() : new JsonArray().add("TOO_SHORT"))
        .put("caller_name", null).put("sim_swap", null).put("call_forwarding", null)
        .put("line_status", null).put("line_type_intelligence", lineType)
        .put("identity_match", null).put("reassigned_number", null)
        .put("sms_pumping_risk", null).put("phone_number_quality_score", null)
        .put("pre_fill", null).put("url", LOOKUPS + encodedNumber).encode(), 200);
  }

  private Response available(String country, String areaCode, String path) {
    JsonArray numbers = new JsonArray();
    if (!noneAvailable) {
      String area = areaCode != null ? areaCode : "415";
      for (int i = 0; i < 3; i++) {
        String national = area + "555" + String.format("%04d", counter.incrementAndGet() % 10000);
        numbers.add(new JsonObject()
            .put("friendly_name", "(" + area + ") 555-" + national.substring(6))
            .put("phone_number", "+1" + national)
            .put("lata", "722").put("locality", "San Francisco").put("rate_center", "SNFC")
            .put("latitude", "37.780000").put("longitude", "-122.420000").put("region", "CA")
            .put("postal_code", "94103").put("iso_country", country)
            .put("address_requirements", "none").put("beta", false)
            .put("capabilities", new JsonObject().put("voice", true).put("SMS", true)
                .put("MMS", true).put("fax", false)));
      }
    }
    String uri = "/2010-04-01/Accounts/" + ACCOUNT_SID + path + "?PageSize=20&Page=0";
    return new Response(new JsonObject()
        .put("available_phone_numbers", numbers)
        .put("end", numbers.size()).put("first_page_uri", uri).put("next_page_uri", null)
        .put("page", 0).put("page_size", 20).put("previous_page_uri", null).put("start", 0)
        .put("uri", uri).encode(), 200);
  }

  private JsonObject incomingJson(String sid, String phoneNumber) {
    return new JsonObject()
        .put("account_sid", ACCOUNT_SID).put("address_requirements", "none")
        .put("address_sid", null).put("api_version", "2010-04-01").put("beta", false)
        .put("capabilities", new JsonObject().put("voice", true).put("sms", true)
            .put("mms", true).put("fax", false))
        .put("date_created", DATE).put("date_updated", DATE)
        .put("emergency_status", "Active").put("emergency_address_sid", null)
        .put("emergency_address_status", "unregistered")
        .put("friendly_name", phoneNumber).put("identity_sid", null).put("origin", "twilio")
        .put("phone_number", phoneNumber).put("sid", sid)
        .put("sms_application_sid", "").put("sms_fallback_method", "POST")
        .put("sms_fallback_url", "").put("sms_method", "POST").put("sms_url", "")
        .put("status_callback", "").put("status_callback_method", "POST")
        .put("trunk_sid", null)
        .put("uri", "/2010-04-01/Accounts/" + ACCOUNT_SID + "/IncomingPhoneNumbers/" + sid + ".json")
        .put("voice_receive_mode", "voice").put("voice_application_sid", null)
        .put("voice_caller_id_lookup", false).put("voice_fallback_method", "POST")
        .put("voice_fallback_url", null).put("voice_method", "POST").put("voice_url", null)
        .put("bundle_sid", null).put("status", "in-use");
  }

  private JsonObject messageJson(Map<String, String> form, int media) {
    String sid = "SM" + hex32();
    return new JsonObject()
        .put("account_sid", ACCOUNT_SID).put("api_version", "2010-04-01")
        .put("body", form.getOrDefault("Body", ""))
        .put("date_created", DATE).put("date_sent", null).put("date_updated", DATE)
        .put("direction", "outbound-api").put("error_code", null).put("error_message", null)
        .put("from", form.get("From")).put("messaging_service_sid", null)
        .put("num_media", String.valueOf(media)).put("num_segments", "1")
        .put("price", null).put("price_unit", "USD").put("sid", sid).put("status", "queued")
        .put("subresource_uris", new JsonObject().put("media",
            "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + sid + "/Media.json"))
        .put("to", form.get("To"))
        .put("uri", "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + sid + ".json");
  }

  /** The SDK calls this on a worker thread and waits for the answer, as for the real network. */
  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Response error(int status, int code, String message) {
    return new Response(new JsonObject().put("code", code).put("message", message)
        .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status)
        .encode(), status);
  }

  private String hex32() {
    return String.format("%032x", counter.incrementAndGet());
  }

  private static Map<String, String> flat(Map<String, List<String>> params) {
    Map<String, String> out = new HashMap<>();
    params.forEach((k, v) -> out.put(k, v.isEmpty() ? null : v.get(0)));
    return out;
  }
}

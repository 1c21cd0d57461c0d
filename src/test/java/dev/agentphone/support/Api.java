package dev.agentphone.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain blocking HTTP client for tests, speaking to the engine as any API client would. */
public final class Api {
  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
  private final String base;
  private final String[] always;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  public Api(String base) {
    this(base, new String[0]);
  }

  private Api(String base, String[] always) {
    this.base = base;
    this.always = always;
  }

  /** A client that acts for this sub-account: every request sends it in X-Sub-Account-Id. */
  public Api asSubAccount(String subAccountId) {
    return new Api(base, new String[] {"X-Sub-Account-Id", subAccountId});
  }

  public String base() {
    return base;
  }

  /** A response with its body kept as text. */
  public record Response(int status, String body, HttpHeaders headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    /** The {@code detail} of an error answer. */
    public Object detail() {
      return json().getValue("detail");
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  public Response get(String path, String key) {
    return send("GET", path, key, null, null);
  }

  public Response delete(String path, String key) {
    return send("DELETE", path, key, null, null);
  }

  public Response post(String path, String key, Object json) {
    return send("POST", path, key, json == null ? null : json.toString(), "application/json");
  }

  public Response patch(String path, String key, Object json) {
    return send("PATCH", path, key, json == null ? null : json.toString(), "application/json");
  }

  /** Any method with a raw body and content type (malformed JSON, form posts). */
  public Response send(String method, String path, String key, String body, String contentType) {
    return send(method, path, key, body, contentType, new String[0]);
  }

  public Response send(String method, String path, String key, String body, String contentType,
      String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < always.length; i += 2) {
      request.header(always[i], always[i + 1]);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response = http.send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  /** The code in the newest sandbox email to {@code email}. */
  public String latestCode(String email) {
    Response emails = get("/sandbox/emails?to=" + email, null);
    JsonArray data = emails.json().getJsonArray("data");
    if (data.isEmpty()) {
      throw new IllegalStateException("no email to " + email);
    }
    Matcher m = CODE.matcher(data.getJsonObject(0).getString("text"));
    if (!m.find()) {
      throw new IllegalStateException("no code in email");
    }
    return m.group(1);
  }
}

package dev.agentphone.sandbox;

import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.retell.RetellSignature;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/** The simulated Retell's signed webhooks to the engine, about the calls it carries. */
final class SimulatedRetellWebhooks {
  private final Pool pool;
  private final HttpClient http;
  private final String webhookUrl;
  private final String apiKey;

  SimulatedRetellWebhooks(Pool pool, HttpClient http, String webhookUrl, String apiKey) {
    this.pool = pool;
    this.http = http;
    this.webhookUrl = webhookUrl;
    this.apiKey = apiKey;
  }

  /**
   * A signed Retell webhook to the engine; answered before this future completes. The simulated
   * Retell's record of the call ({@code get-call}) is what the webhook says.
   */
  Future<Void> send(String event, SimulatedCall sim) {
    JsonObject call = sim.call.copy().put("transcript_object", sim.transcript.copy());
    String body = new JsonObject().put("event", event).put("call", call).encode();
    String signature = RetellSignature.sign(apiKey, body, System.currentTimeMillis());
    return SandboxRetellRoutes.put(pool, "call", call.getString("call_id"), call)
        .compose(stored -> http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(webhookUrl)
            .putHeader("Content-Type", "application/json")
            .putHeader(RetellSignature.HEADER, signature)))
        .compose(req -> req.send(body))
        .compose(response -> response.body().map(b -> {
          if (response.statusCode() / 100 != 2) {
            throw new ApiError(502, "The engine refused the " + event + " webhook: "
                + response.statusCode());
          }
          return null;
        }));
  }
}

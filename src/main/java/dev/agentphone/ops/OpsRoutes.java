package dev.agentphone.ops;

import dev.agentphone.http.Responses;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Outages;
import dev.agentphone.platform.Routes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Health, Prometheus metrics, the contract and its interactive documentation. */
final class OpsRoutes implements Routes {
  private static final String SWAGGER_UI_VERSION = "5.34.1";

  @Override
  public void mountPublic(Router root) {
    // 200 when every dependency answers; else 503 naming the ones that do not
    root.get("/health").handler(ctx -> Bus.<JsonObject>request(ctx.vertx(), HealthVerticle.CHECK,
            new JsonObject())
        .onSuccess(health -> {
          JsonArray down = (JsonArray) health.remove("down");
          if (down.isEmpty()) {
            Responses.json(ctx, 200, new JsonObject().put("status", "ok").mergeIn(health));
          } else {
            ctx.response().putHeader("Retry-After", Integer.toString(Outages.RETRY_AFTER_SECONDS));
            Responses.json(ctx, 503, new JsonObject().put("status", "unavailable")
                .mergeIn(health).put("detail", "Unavailable: " + String.join(", ",
                    down.stream().map(Object::toString).toList())));
          }
        })
        .onFailure(e -> Responses.error(ctx, e)));

    root.get("/metrics").handler(PrometheusScrapingHandler.create());

    Buffer contract = resource("/openapi.json");
    root.get("/openapi.json").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json").end(contract));

    Buffer docs = resource("/docs/index.html");
    root.get("/docs").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/html; charset=utf-8").end(docs));
    root.route("/webjars/swagger-ui/*").handler(StaticHandler.create(
        "META-INF/resources/webjars/swagger-ui/" + SWAGGER_UI_VERSION).setCachingEnabled(true));
  }

  static Buffer resource(String path) {
    try (InputStream in = OpsRoutes.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.agentphone.ops;

import dev.agentphone.Engine;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Health, Prometheus metrics, the contract and its interactive documentation. */
public final class OpsRoutes implements Routes {
  private static final String SWAGGER_UI_VERSION = "5.34.1";

  @Override
  public void mountPublic(Router root, Engine engine) {
    root.get("/health").handler(ctx -> engine.pool().query("SELECT 1").execute()
        .onSuccess(rows -> Responses.json(ctx, 200,
            new JsonObject().put("status", "ok").put("database", "up")))
        .onFailure(e -> Responses.json(ctx, 503,
            new JsonObject().put("status", "unavailable").put("database", "down")
                .put("detail", "Database unreachable"))));

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

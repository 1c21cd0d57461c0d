package dev.agentphone.sandbox;

import dev.agentphone.http.Responses;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Routes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.BiFunction;

/**
 * The simulated Retell REST API (sandbox mode, when no Retell key is configured), answering
 * {@code /sandbox/retell/...} with Retell's paths and JSON shapes so the engine's real Retell
 * client is exercised end to end. Objects live in {@code sandbox_retell_objects}; created calls
 * are handed to the {@link SandboxCallSimulator}, which then carries them.
 */
final class SandboxRetellRoutes implements Routes {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Pool pool;
  private final String key;

  /** {@code key}: the API key the engine's Retell client presents. */
  SandboxRetellRoutes(Vertx vertx, Pool pool, String key) {
    this.vertx = vertx;
    this.pool = pool;
    this.key = key;
  }

  @Override
  public void mountPublic(Router root) {
    Router retell = Router.router(vertx);
    retell.route().handler(ctx -> {
      String auth = ctx.request().getHeader("Authorization");
      if (!("Bearer " + key).equals(auth)) {
        error(ctx, 401, "Invalid API key");
        return;
      }
      ctx.next();
    });

    retell.post("/create-retell-llm").handler(ctx -> create(ctx, pool, "llm", "llm_id",
        (id, body) -> body.put("llm_id", id).put("version", 0)));
    retell.patch("/update-retell-llm/:id").handler(ctx -> update(ctx, pool, "llm"));
    retell.delete("/delete-retell-llm/:id").handler(ctx -> delete(ctx, pool, "llm"));

    retell.post("/create-agent").handler(ctx -> {
      JsonObject body = body(ctx);
      JsonObject engineSpec = body == null ? null : body.getJsonObject("response_engine");
      if (engineSpec == null) {
        error(ctx, 400, "response_engine is required");
        return;
      }
      Future<Boolean> llmExists = "retell-llm".equals(engineSpec.getString("type"))
          ? exists(pool, "llm", engineSpec.getString("llm_id")) : Future.succeededFuture(true);
      llmExists.onSuccess(ok -> {
        if (!ok) {
          error(ctx, 404, "LLM not found");
        } else {
          create(ctx, pool, "agent", "agent_id", (id, b) -> b.put("agent_id", id).put("version", 0));
        }
      }).onFailure(e -> error(ctx, 500, "sandbox failure"));
    });
    retell.get("/get-agent/:id").handler(ctx -> read(ctx, pool, "agent", "Agent not found"));
    retell.patch("/update-agent/:id").handler(ctx -> update(ctx, pool, "agent"));
    retell.delete("/delete-agent/:id").handler(ctx -> delete(ctx, pool, "agent"));
    retell.get("/list-voices").handler(ctx ->
        Responses.json(ctx, 200, VoiceCatalog.sandboxVoices()));

    retell.post("/import-phone-number").handler(ctx -> {
      JsonObject body = body(ctx);
      String number = body == null ? null : body.getString("phone_number");
      if (number == null) {
        error(ctx, 400, "phone_number is required");
        return;
      }
      put(pool, "number", number, body.put("phone_number_pretty", number))
          .onSuccess(stored -> Responses.json(ctx, 201, stored))
          .onFailure(e -> error(ctx, 500, "sandbox failure"));
    });
    retell.get("/get-phone-number/:id").handler(ctx -> read(ctx, pool, "number",
        "Phone number not found"));
    retell.patch("/update-phone-number/:id").handler(ctx -> update(ctx, pool, "number"));
    retell.delete("/delete-phone-number/:id").handler(ctx -> delete(ctx, pool, "number"));

    retell.get("/v2/get-call/:id").handler(ctx -> read(ctx, pool, "call", "Call not found"));
    retell.post("/v2/create-phone-call").handler(ctx -> createCall(ctx, "phone_call"));
    retell.post("/v2/stop-call/:id").handler(ctx -> Bus.<JsonObject>request(vertx,
            SandboxCallSimulator.STOP, new JsonObject().put("retellCallId", ctx.pathParam("id")))
        .onSuccess(stopped -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> error(ctx, e instanceof ApiError api ? api.status() : 500,
            e.getMessage())));
    retell.post("/v2/create-web-call").handler(ctx -> createCall(ctx, "web_call"));

    root.route("/sandbox/retell/*").subRouter(retell);
  }

  private void createCall(RoutingContext ctx, String type) {
    JsonObject body = body(ctx);
    if (body == null) {
      error(ctx, 400, "a JSON body is required");
      return;
    }
    String agentId = "web_call".equals(type) ? body.getString("agent_id")
        : body.getString("override_agent_id");
    get(pool, "agent", agentId).onSuccess(agent -> {
      if (agent == null) {
        error(ctx, 404, "Agent not found");
        return;
      }
      String callId = "call_" + hex(16);
      JsonObject call = new JsonObject()
          .put("call_id", callId)
          .put("call_type", type)
          .put("agent_id", agentId)
          .put("call_status", "registered")
          .put("metadata", body.getJsonObject("metadata", new JsonObject()))
          .put("retell_llm_dynamic_variables", body.getJsonObject("retell_llm_dynamic_variables"));
      if ("phone_call".equals(type)) {
        call.put("from_number", body.getString("from_number"))
            .put("to_number", body.getString("to_number"))
            .put("direction", "outbound");
      } else {
        call.put("access_token", hex(24));
      }
      put(pool, "call", callId, call).onSuccess(stored -> {
        Responses.json(ctx, 201, stored);
        if ("phone_call".equals(type)) {
          // answered a moment later, as a real phone would be
          vertx.eventBus().send(SandboxCallSimulator.PLACE, new JsonObject().put("call", stored)
              .put("agent", agent).put("override", body.getJsonObject("agent_override")));
        }
      }).onFailure(e -> error(ctx, 500, "sandbox failure"));
    }).onFailure(e -> error(ctx, 500, "sandbox failure"));
  }

  private static void create(RoutingContext ctx, Pool pool, String kind, String idField,
      BiFunction<String, JsonObject, JsonObject> shape) {
    JsonObject body = body(ctx);
    if (body == null) {
      error(ctx, 400, "a JSON body is required");
      return;
    }
    String id = kind + "_" + hex(12);
    JsonObject stored = shape.apply(id, body.copy())
        .put("last_modification_timestamp", System.currentTimeMillis());
    put(pool, kind, id, stored)
        .onSuccess(saved -> Responses.json(ctx, 201, saved))
        .onFailure(e -> error(ctx, 500, "sandbox failure"));
  }

  /** Answers the stored object named by the path, as Retell's {@code get-...} calls do. */
  private static void read(RoutingContext ctx, Pool pool, String kind, String missing) {
    get(pool, kind, ctx.pathParam("id"))
        .onSuccess(found -> {
          if (found == null) {
            error(ctx, 404, missing);
          } else {
            Responses.json(ctx, 200, found);
          }
        })
        .onFailure(e -> error(ctx, 500, "sandbox failure"));
  }

  private static void update(RoutingContext ctx, Pool pool, String kind) {
    JsonObject body = body(ctx);
    String id = ctx.pathParam("id");
    get(pool, kind, id).onSuccess(existing -> {
      if (existing == null) {
        error(ctx, 404, "Not found");
        return;
      }
      JsonObject merged = existing.mergeIn(body == null ? new JsonObject() : body)
          .put("last_modification_timestamp", System.currentTimeMillis());
      if (merged.containsKey("version")) {
        merged.put("version", merged.getInteger("version", 0) + 1);
      }
      put(pool, kind, id, merged).onSuccess(saved -> Responses.json(ctx, 200, saved))
          .onFailure(e -> error(ctx, 500, "sandbox failure"));
    }).onFailure(e -> error(ctx, 500, "sandbox failure"));
  }

  private static void delete(RoutingContext ctx, Pool pool, String kind) {
    pool.preparedQuery("DELETE FROM sandbox_retell_objects WHERE kind = $1 AND id = $2")
        .execute(Tuple.of(kind, ctx.pathParam("id")))
        .onSuccess(rows -> {
          if (rows.rowCount() == 0) {
            error(ctx, 404, "Not found");
          } else {
            ctx.response().setStatusCode(204).end();
          }
        })
        .onFailure(e -> error(ctx, 500, "sandbox failure"));
  }

  /** One stored object of the simulated Retell; null when it does not exist. */
  static Future<JsonObject> get(Pool pool, String kind, String id) {
    if (id == null) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("SELECT body FROM sandbox_retell_objects WHERE kind = $1 AND id = $2")
        .execute(Tuple.of(kind, id))
        .map(rows -> rows.size() == 0 ? null : (JsonObject) rows.iterator().next().getValue(0));
  }

  private static Future<Boolean> exists(Pool pool, String kind, String id) {
    return get(pool, kind, id).map(found -> found != null);
  }

  static Future<JsonObject> put(Pool pool, String kind, String id, JsonObject body) {
    return pool.preparedQuery("INSERT INTO sandbox_retell_objects (kind, id, body) "
            + "VALUES ($1, $2, $3) ON CONFLICT (kind, id) DO UPDATE SET body = EXCLUDED.body")
        .execute(Tuple.of(kind, id, body))
        .map(body);
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      Object parsed = ctx.body() == null || ctx.body().length() == 0 ? null
          : Json.decodeValue(ctx.body().buffer());
      return parsed instanceof JsonObject o ? o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void error(RoutingContext ctx, int status, String message) {
    Responses.json(ctx, status, new JsonObject().put("status", "error").put("message", message));
  }

  static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}

package dev.agentphone.platform;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The API key a request acts with, as the domains see it: its id and prefix and the (main)
 * account it belongs to. The HTTP edge binds it to the request's own Vert.x context once the key
 * is checked, and {@link Bus#scope} copies it into every payload the request sends, so a domain
 * that records who changed something (the audit trail) finds it in its payload under
 * {@value #FIELD} without any route or API passing it along. Work that no API request started
 * (providers' callbacks, sessions, timers) has none.
 */
public record Actor(String keyId, String keyPrefix, String keyAccountId) {
  /** Where {@link Bus#scope} puts it in a payload. */
  public static final String FIELD = "actor";
  /**
   * Per request context (each HTTP request runs on its own duplicated context, so this never
   * leaks from one request to another). Registered before any Vert.x is built: see
   * {@link VertxFactory#options()}.
   */
  private static final ContextLocal<Actor> LOCAL = ContextLocal.registerLocal(Actor.class);

  /** Makes sure the context local exists before a Vert.x instance is built. */
  static void register() {
    // loading the class registers LOCAL
  }

  /** Binds this actor to {@code context}, which must be the request's own context. */
  public void bind(Context context) {
    context.putLocal(LOCAL, this);
  }

  /** The actor of the request running on the current context, or null. */
  public static Actor current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(LOCAL);
  }

  /** The actor a payload carries, or null. */
  public static Actor of(JsonObject payload) {
    JsonObject json = payload == null ? null : payload.getJsonObject(FIELD);
    return json == null ? null : new Actor(json.getString("keyId"), json.getString("keyPrefix"),
        json.getString("keyAccountId"));
  }

  JsonObject json() {
    return new JsonObject().put("keyId", keyId).put("keyPrefix", keyPrefix)
        .put("keyAccountId", keyAccountId);
  }
}

package dev.agentphone.location;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The location domain's published API over the event bus: where the people an account is in
 * touch with share their location from. Scoped to {@code accountId}.
 */
public final class LocationApi {
  static final String GET = "location.get";
  static final String REFRESH = "location.refresh";

  private final Vertx vertx;

  public LocationApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The shared location of {@code phoneNumber} (E.164): {@code LocationResponse}, or 404. */
  public Future<JsonObject> get(String accountId, String phoneNumber) {
    return Bus.request(vertx, GET, Bus.scope(accountId).put("phoneNumber", phoneNumber));
  }

  /** Asks for new positions: {@code LocationRefreshResponse}. */
  public Future<JsonObject> refresh(String accountId) {
    return Bus.request(vertx, REFRESH, Bus.scope(accountId));
  }
}

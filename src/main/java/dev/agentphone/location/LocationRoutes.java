package dev.agentphone.location;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.platform.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;

/**
 * {@code GET /v1/location/{phone_number}} (the number percent-encoded, {@code %2B} for the
 * {@code +}) and {@code POST /v1/location/refresh}.
 */
final class LocationRoutes implements Routes {
  private final LocationApi location;

  LocationRoutes(LocationApi location) {
    this.location = location;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/location/refresh").handler(ctx -> Responses.answer(ctx,
        location.refresh(Caller.accountOf(ctx))));

    api.get("/location/:phone_number").handler(Responses.guarded(ctx -> {
      String raw = ctx.pathParam("phone_number");
      String e164 = PhoneNumbers.e164(raw, "US");
      if (e164 == null) {
        throw ApiError.invalid(new JsonArray().add("path").add("phone_number"), "value_error",
            PhoneNumbers.invalid(raw));
      }
      Responses.answer(ctx, location.get(Caller.accountOf(ctx), e164));
    }));
  }
}

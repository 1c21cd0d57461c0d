package dev.agentphone.location;

import dev.agentphone.contacts.ContactsApi;
import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.imessage.SharedLocations;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Shared locations of the people an account is in touch with: a number is known when it is one
 * of the account's contacts or the other party of one of its conversations; any other number is
 * not found, so nobody can locate a stranger. Without a shared-location service (live mode: no
 * provider offers one) both operations are refused with 501.
 */
final class LocationVerticle extends VerticleBase {
  static final String UNSUPPORTED = "Location needs an iMessage carrier with shared location; "
      + "none is configured in live mode";

  private final SharedLocations locations;
  private final ContactsApi contacts;
  private final ConversationsApi conversations;

  /** {@code locations} is null where no shared-location service is configured. */
  LocationVerticle(SharedLocations locations, ContactsApi contacts,
      ConversationsApi conversations) {
    this.locations = locations;
    this.contacts = contacts;
    this.conversations = conversations;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, LocationApi.GET, this::get);
    Bus.answer(vertx, LocationApi.REFRESH, this::refresh);
    return Future.succeededFuture();
  }

  private Future<JsonObject> get(JsonObject request) {
    if (locations == null) {
      return Future.failedFuture(new ApiError(501, UNSUPPORTED));
    }
    String accountId = request.getString("accountId");
    String phoneNumber = request.getString("phoneNumber");
    return known(accountId, phoneNumber)
        .compose(known -> {
          if (!known) {
            throw new ApiError(404, "No shared location for " + phoneNumber + ": it is not a "
                + "contact or conversation of this account");
          }
          return locations.locate(accountId, phoneNumber);
        })
        .map(fix -> new JsonObject()
            .put("phoneNumber", phoneNumber)
            .put("latitude", fix.latitude())
            .put("longitude", fix.longitude())
            .put("status", fix.status())
            .put("lastUpdated", fix.lastUpdatedMillis()));
  }

  private Future<Boolean> known(String accountId, String phoneNumber) {
    return contacts.byNumber(accountId, phoneNumber).compose(contact -> contact != null
        ? Future.succeededFuture(true) : conversations.withParticipant(accountId, phoneNumber));
  }

  private Future<JsonObject> refresh(JsonObject request) {
    if (locations == null) {
      return Future.failedFuture(new ApiError(501, UNSUPPORTED));
    }
    return locations.refresh(request.getString("accountId"))
        .map(seconds -> new JsonObject().put("success", true).put("pollAfterSeconds", seconds));
  }
}

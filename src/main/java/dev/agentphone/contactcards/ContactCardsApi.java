package dev.agentphone.contactcards;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The contact cards domain's published API over the event bus: the iMessage contact card of an
 * account's number ({@code ContactCardResponse}). Scoped to {@code accountId}: another account's
 * number is not found (404); a number that is not an iMessage line is 400.
 */
public final class ContactCardsApi {
  static final String GET = "contact-cards.get";
  static final String PUT = "contact-cards.put";
  static final String DELETE = "contact-cards.delete";

  private final Vertx vertx;

  public ContactCardsApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A card to set: each name may be null, and so may {@code avatarUrl} (no photo). */
  public record Card(String firstName, String lastName, String displayName, String avatarUrl) {
  }

  /** The number's card; 404 when none is set. */
  public Future<JsonObject> get(String accountId, String numberId) {
    return Bus.request(vertx, GET, Bus.scope(accountId).put("numberId", numberId));
  }

  /** Sets (or replaces, all of it) the number's card and has the carrier apply it. */
  public Future<JsonObject> put(String accountId, String numberId, Card card) {
    return Bus.request(vertx, PUT, Bus.scope(accountId).put("numberId", numberId)
        .put("firstName", card.firstName()).put("lastName", card.lastName())
        .put("displayName", card.displayName()).put("avatarUrl", card.avatarUrl()));
  }

  /** Removes the number's card, at the carrier too; a number without one is left as it is. */
  public Future<Void> delete(String accountId, String numberId) {
    return Bus.<Object>request(vertx, DELETE, Bus.scope(accountId).put("numberId", numberId))
        .mapEmpty();
  }
}

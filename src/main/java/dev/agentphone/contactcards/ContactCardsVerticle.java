package dev.agentphone.contactcards;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersApi.ActiveNumber;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.imessage.IMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The iMessage contact card of a number: its names and photo as recipients see them. Setting
 * one asks the carrier first and stores the card once the carrier took it, so what we show is
 * what the carrier was asked to apply. Only active iMessage numbers have cards.
 */
final class ContactCardsVerticle extends VerticleBase {
  static final String NO_CARD = "No contact card set on this number";
  private static final String COLUMNS = "first_name, last_name, display_name, avatar_sha256";

  private static final String AUDITED = "contact_card";

  private final Pool pool;
  private final NumbersApi numbers;
  private final IMessage imessage;
  private final Avatars avatars;

  /** {@code imessage} is null where no iMessage carrier is configured. */
  ContactCardsVerticle(Pool pool, NumbersApi numbers, IMessage imessage, Avatars avatars) {
    this.pool = pool;
    this.numbers = numbers;
    this.imessage = imessage;
    this.avatars = avatars;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, ContactCardsApi.GET, this::get);
    Bus.answer(vertx, ContactCardsApi.PUT, this::put);
    Bus.answer(vertx, ContactCardsApi.DELETE, this::delete);
    return Future.succeededFuture();
  }

  /** The account's number if it is an active iMessage line with a carrier; 404 or 400 if not. */
  private Future<ActiveNumber> line(JsonObject request) {
    return numbers.findActive(request.getString("accountId"), request.getString("numberId"))
        .map(number -> {
          if (!"imessage".equals(number.type())) {
            throw ApiError.badRequest("Contact cards are an iMessage feature: "
                + number.phoneNumber() + " is an SMS line");
          }
          if (imessage == null) {
            throw new ApiError(501, "Contact cards need an iMessage carrier; none is configured");
          }
          return number;
        });
  }

  private Future<JsonObject> get(JsonObject request) {
    return line(request).compose(number -> pool.preparedQuery("SELECT " + COLUMNS
            + " FROM number_contact_cards WHERE account_id = $1 AND number_id = $2")
        .execute(Tuple.of(number.accountId(), number.id())))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new ApiError(404, NO_CARD);
          }
          return toJson(rows.iterator().next());
        });
  }

  private Future<JsonObject> put(JsonObject request) {
    String avatarUrl = request.getString("avatarUrl");
    return line(request).compose(number -> (avatarUrl == null
            ? Future.<IMessage.Image>succeededFuture(null) : avatars.fetch(avatarUrl))
        .compose(avatar -> {
          IMessage.ContactCard card = new IMessage.ContactCard(request.getString("firstName"),
              request.getString("lastName"), request.getString("displayName"), avatar);
          return imessage.setContactCard(number.accountId(), number.phoneNumber(), card)
              .compose(applied -> store(request, number, card));
        }));
  }

  private Future<JsonObject> store(JsonObject request, ActiveNumber number,
      IMessage.ContactCard card) {
    IMessage.Image avatar = card.avatar();
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + COLUMNS
                + " FROM number_contact_cards WHERE number_id = $1 FOR UPDATE")
            .execute(Tuple.of(number.id()))
            .compose(before -> tx.preparedQuery("INSERT INTO number_contact_cards (number_id, "
                    + "account_id, first_name, last_name, display_name, avatar_sha256, "
                    + "avatar_content_type, avatar_bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                    + "ON CONFLICT (number_id) DO UPDATE SET first_name = $3, last_name = $4, "
                    + "display_name = $5, avatar_sha256 = $6, avatar_content_type = $7, "
                    + "avatar_bytes = $8, updated_at = now() RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {number.id(), number.accountId(),
                    card.firstName(), card.lastName(), card.displayName(),
                    avatar == null ? null : avatar.sha256(),
                    avatar == null ? null : avatar.contentType(),
                    avatar == null ? null : avatar.bytes().length}))
                .map(rows -> toJson(rows.iterator().next()))
                .compose(after -> (before.size() == 0
                    ? AuditTrail.created(tx, request, AUDITED, number.id(), after)
                    : AuditTrail.updated(tx, request, AUDITED, number.id(),
                        toJson(before.iterator().next()), after)).map(after))));
  }

  /** The carrier first: a card it still shows must stay visible here. */
  private Future<Void> delete(JsonObject request) {
    return line(request).compose(number -> pool.preparedQuery("SELECT 1 FROM "
            + "number_contact_cards WHERE account_id = $1 AND number_id = $2")
        .execute(Tuple.of(number.accountId(), number.id()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
            : imessage.removeContactCard(number.accountId(), number.phoneNumber())
                .compose(removed -> pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM "
                        + "number_contact_cards WHERE account_id = $1 AND number_id = $2 "
                        + "RETURNING " + COLUMNS)
                    .execute(Tuple.of(number.accountId(), number.id()))
                    .compose(gone -> gone.size() == 0 ? Future.succeededFuture()
                        : AuditTrail.deleted(tx, request, AUDITED, number.id(),
                            toJson(gone.iterator().next())))))
                .<Void>mapEmpty()));
  }

  /** A row as a {@code ContactCardResponse}: the photo's URL is never shown, only that it is set. */
  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("firstName", row.getString("first_name"))
        .put("lastName", row.getString("last_name"))
        .put("displayName", row.getString("display_name"))
        .put("hasAvatar", row.getString("avatar_sha256") != null);
  }
}

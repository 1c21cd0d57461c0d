package dev.agentphone.contacts;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.SqlText;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * An account's address book, one contact per phone number (E.164) within an account, and what
 * channels reach a number ({@link Capabilities}).
 */
final class ContactsVerticle extends VerticleBase {
  private static final String COLUMNS = "id, phone_number, name, email, notes, created_at, updated_at";
  private static final String DUPLICATE = "A contact with this phone number already exists";

  /** A new contact: id, account, phone number (E.164), name, email, notes. */
  static final String INSERT_SQL = "INSERT INTO contacts (id, account_id, phone_number, "
      + "name, email, notes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS;
  /** An account's contact by phone number (E.164): account, phone number. */
  static final String BY_NUMBER_SQL = "SELECT id, name, email, phone_number FROM contacts "
      + "WHERE account_id = $1 AND phone_number = $2";
  /** The contacts of many senders, each once: their accounts ({@code $1}), numbers ({@code $2}). */
  static final String BY_SENDERS_SQL = "SELECT c.id, c.account_id, c.name, c.email, "
      + "c.phone_number FROM unnest($1::text[], $2::text[]) AS s(account_id, phone_number) "
      + "JOIN contacts c ON c.account_id = s.account_id AND c.phone_number = s.phone_number";

  private static final String AUDITED = "contact";

  private final Pool pool;
  private final Capabilities capabilities;

  /** Writable fields of a contact. */
  private static final List<SqlText.Column> FIELDS = List.of(
      new SqlText.Column("phoneNumber", "phone_number"), new SqlText.Column("name", "name"),
      new SqlText.Column("email", "email"), new SqlText.Column("notes", "notes"));

  ContactsVerticle(Pool pool, Capabilities capabilities) {
    this.pool = pool;
    this.capabilities = capabilities;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, ContactsApi.CREATE, this::create);
    Bus.answer(vertx, ContactsApi.LIST, this::list);
    Bus.answer(vertx, ContactsApi.GET, this::get);
    Bus.answer(vertx, ContactsApi.UPDATE, this::update);
    Bus.answer(vertx, ContactsApi.DELETE, this::delete);
    Bus.answer(vertx, ContactsApi.BY_NUMBER, this::byNumber);
    Bus.answer(vertx, ContactsApi.CAPABILITIES, capabilities::check);
    return Future.succeededFuture();
  }

  static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("phoneNumber", row.getString("phone_number"))
        .put("name", row.getString("name"))
        .put("email", row.getString("email"))
        .put("notes", row.getString("notes"))
        .put("createdAt", Times.format(row.getOffsetDateTime("created_at")))
        .put("updatedAt", Times.format(row.getOffsetDateTime("updated_at")));
  }

  private static <T> Future<T> duplicateIs409(Throwable failure) {
    return Future.failedFuture(Database.isUniqueViolation(failure)
        ? ApiError.conflict(DUPLICATE) : failure);
  }

  private Future<JsonObject> create(JsonObject request) {
    JsonObject c = request.getJsonObject("contact");
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT_SQL)
            .execute(Tuple.of(Ids.next("ct"), request.getString("accountId"),
                c.getString("phoneNumber"), c.getString("name"), c.getString("email"),
                c.getString("notes")))
            .map(rows -> toJson(rows.iterator().next()))
            .compose(contact -> AuditTrail.created(tx, request, AUDITED, contact.getString("id"),
                contact).map(contact)))
        .recover(ContactsVerticle::duplicateIs409);
  }

  /** {@code search} matches name or phone number, case-insensitively, anywhere in the text. */
  private Future<JsonObject> list(JsonObject request) {
    String accountId = request.getString("accountId");
    int limit = request.getInteger("limit");
    int offset = request.getInteger("offset");
    String search = request.getString("search");
    String pattern = search == null ? null : SqlText.containing(search);
    String digits = search == null ? "" : search.replaceAll("\\D", "");
    String where = " FROM contacts WHERE account_id = $1 AND ($2::text IS NULL "
        + "OR name ILIKE $2 OR phone_number ILIKE $2 "
        + "OR ($3 <> '' AND phone_number LIKE '%' || $3 || '%'))";
    return Page.fetch(pool, "SELECT " + COLUMNS + where
            + " ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5", "SELECT count(*)" + where,
            Tuple.of(accountId, pattern, digits), limit, offset)
        .map(page -> page.json(page.map(ContactsVerticle::toJson)));
  }

  private Future<JsonObject> get(JsonObject request) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM contacts WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(request.getString("accountId"), request.getString("contactId")))
        .map(ContactsVerticle::found);
  }

  private static JsonObject found(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw ApiError.notFound("Contact");
    }
    return toJson(rows.iterator().next());
  }

  private Future<JsonObject> update(JsonObject request) {
    Tuple values = Tuple.of(request.getString("accountId"), request.getString("contactId"));
    String sets = SqlText.assignments(request.getJsonObject("changes"), FIELDS, values);
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + COLUMNS + " FROM contacts "
                + "WHERE account_id = $1 AND id = $2 FOR UPDATE")
            .execute(Tuple.of(request.getString("accountId"), request.getString("contactId")))
            .map(ContactsVerticle::found)
            .compose(before -> tx.preparedQuery("UPDATE contacts SET " + sets
                    + " WHERE account_id = $1 AND id = $2 RETURNING " + COLUMNS)
                .execute(values)
                .map(ContactsVerticle::found)
                .compose(after -> AuditTrail.updated(tx, request, AUDITED, after.getString("id"),
                    before, after).map(after))))
        .recover(ContactsVerticle::duplicateIs409);
  }

  private Future<Void> delete(JsonObject request) {
    return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM contacts "
                + "WHERE account_id = $1 AND id = $2 RETURNING " + COLUMNS)
            .execute(Tuple.of(request.getString("accountId"), request.getString("contactId")))
            .map(ContactsVerticle::found)
            .compose(before -> AuditTrail.deleted(tx, request, AUDITED, before.getString("id"),
                before)));
  }

  private Future<JsonObject> byNumber(JsonObject request) {
    return pool.preparedQuery(BY_NUMBER_SQL)
        .execute(Tuple.of(request.getString("accountId"),
            ContactReads.lookedUp(request.getString("phoneNumber"))))
        .map(rows -> rows.size() == 0 ? null : ContactReads.answer(rows.iterator().next()));
  }
}

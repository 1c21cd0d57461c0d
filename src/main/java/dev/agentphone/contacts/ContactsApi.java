package dev.agentphone.contacts;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The contacts domain's published API over the event bus. Every operation is scoped to
 * {@code accountId}: another account's contact is not found (404).
 */
public final class ContactsApi {
  static final String CREATE = "contacts.create";
  static final String LIST = "contacts.list";
  static final String GET = "contacts.get";
  static final String UPDATE = "contacts.update";
  static final String DELETE = "contacts.delete";
  static final String BY_NUMBER = "contacts.by-number";
  static final String CAPABILITIES = "contacts.capabilities";

  private final Vertx vertx;

  public ContactsApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code contact}: {@code phoneNumber} (E.164), {@code name}, {@code email?}, {@code notes?}. */
  public Future<JsonObject> create(String accountId, JsonObject contact) {
    return Bus.request(vertx, CREATE, Bus.scope(accountId).put("contact", contact));
  }

  /** {@code search} (or null) matches name or phone number anywhere, case-insensitively. */
  public Future<JsonObject> list(String accountId, int limit, int offset, String search) {
    return Bus.request(vertx, LIST, Bus.scope(accountId).put("limit", limit).put("offset", offset)
        .put("search", search));
  }

  public Future<JsonObject> get(String accountId, String contactId) {
    return Bus.request(vertx, GET, Bus.scope(accountId).put("contactId", contactId));
  }

  /** Sets the fields present in {@code changes}. */
  public Future<JsonObject> update(String accountId, String contactId, JsonObject changes) {
    return Bus.request(vertx, UPDATE, Bus.scope(accountId).put("contactId", contactId)
        .put("changes", changes));
  }

  public Future<Void> delete(String accountId, String contactId) {
    return Bus.<Object>request(vertx, DELETE, Bus.scope(accountId).put("contactId", contactId))
        .mapEmpty();
  }

  /**
   * The account's contact with this phone number (normalised to E.164 when it parses) as
   * {@code {id, name, email, phoneNumber}}, or null when there is none.
   */
  public Future<JsonObject> byNumber(String accountId, String phoneNumber) {
    return Bus.request(vertx, BY_NUMBER, Bus.scope(accountId).put("phoneNumber", phoneNumber));
  }

  /**
   * Which channels reach {@code phoneNumber} (E.164) from the account
   * ({@code ContactCapabilitiesResponse}); see {@link Capabilities}.
   */
  public Future<JsonObject> capabilities(String accountId, String phoneNumber) {
    return Bus.request(vertx, CAPABILITIES, Bus.scope(accountId).put("phoneNumber", phoneNumber));
  }
}

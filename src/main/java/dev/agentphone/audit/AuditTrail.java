package dev.agentphone.audit;

import dev.agentphone.platform.Actor;
import dev.agentphone.platform.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The audit log's transactional API: a domain records a create, update or delete made through
 * the API with one call, on the {@link SqlClient} of the change's own transaction, so the entry
 * exists exactly when the change committed. {@code request} is the domain's bus payload: its
 * {@link Actor} says which key made the change and its {@code accountId} which (sub-)account it
 * was made in. A payload without an actor (work no API request started) records nothing.
 *
 * <p>{@code before} and {@code after} are the object as the API shows it; the entry keeps the
 * fields that differ as {@code {field: {from, to}}}. Secret values (webhook secrets, keys,
 * tokens, passwords), at any depth, are never stored: they read {@value #REDACTED}.
 */
public final class AuditTrail {
  public static final String REDACTED = "[redacted]";
  /** Bookkeeping every answer carries, which says nothing about what was changed. */
  private static final Set<String> IGNORED = Set.of("id", "accountId", "createdAt", "updatedAt");

  private AuditTrail() {
  }

  public static Future<Void> created(SqlClient tx, JsonObject request, String objectType,
      String objectId, JsonObject after) {
    return record(tx, request, "create", objectType, objectId, null, after);
  }

  public static Future<Void> updated(SqlClient tx, JsonObject request, String objectType,
      String objectId, JsonObject before, JsonObject after) {
    return record(tx, request, "update", objectType, objectId, before, after);
  }

  public static Future<Void> deleted(SqlClient tx, JsonObject request, String objectType,
      String objectId, JsonObject before) {
    return record(tx, request, "delete", objectType, objectId, before, null);
  }

  private static Future<Void> record(SqlClient tx, JsonObject request, String action,
      String objectType, String objectId, JsonObject before, JsonObject after) {
    Actor actor = Actor.of(request);
    if (actor == null) {
      return Future.succeededFuture();
    }
    String acting = request.getString("accountId");
    String subAccount = acting == null || acting.equals(actor.keyAccountId()) ? null : acting;
    return tx.preparedQuery("INSERT INTO audit_log (id, account_id, sub_account_id, key_id, "
            + "key_prefix, action, object_type, object_id, changes) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .execute(Tuple.from(new Object[] {Ids.next("aud"), actor.keyAccountId(), subAccount,
            actor.keyId(), actor.keyPrefix(), action, objectType, objectId,
            changes(before, after)}))
        .mapEmpty();
  }

  /** {@code {field: {from, to}}} for every field that differs, secrets redacted. */
  static JsonObject changes(JsonObject before, JsonObject after) {
    JsonObject from = before == null ? new JsonObject() : before;
    JsonObject to = after == null ? new JsonObject() : after;
    Set<String> fields = new TreeSet<>(from.fieldNames());
    fields.addAll(to.fieldNames());
    JsonObject changes = new JsonObject();
    for (String field : fields) {
      Object was = from.getValue(field);
      Object is = to.getValue(field);
      if (IGNORED.contains(field) || Objects.equals(was, is)) {
        continue;
      }
      boolean secret = isSecret(field);
      changes.put(field, new JsonObject()
          .put("from", secret && was != null ? REDACTED : redact(was))
          .put("to", secret && is != null ? REDACTED : redact(is)));
    }
    return changes;
  }

  static boolean isSecret(String field) {
    String name = field.toLowerCase(Locale.ROOT).replace("_", "");
    return name.contains("secret") || name.contains("password") || name.endsWith("token")
        || name.equals("apikey") || name.equals("key");
  }

  private static Object redact(Object value) {
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> copy.put(e.getKey(), isSecret(e.getKey()) && e.getValue() != null
          ? REDACTED : redact(e.getValue())));
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(redact(item)));
      return copy;
    }
    return value;
  }
}

package dev.agentphone.contacts;

import dev.agentphone.platform.PhoneNumbers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contacts domain's in-process read for a burst of inbound messages: the contacts of many
 * senders in one statement on the caller's {@code SqlClient} (inside its transaction), instead
 * of an event-bus hop and a read per message. Read where the messages are written, a contact
 * created, changed or deleted before they are is what their events name, on any node, with no
 * cache to keep. Every row is scoped to the sender's account.
 */
public final class ContactReads {
  private ContactReads() {
  }

  /** A message's sender within an account: its phone number as the provider gave it. */
  public record Sender(String accountId, String phoneNumber) {
  }

  /**
   * The contacts of {@code senders} as {@link ContactsApi#byNumber} answers them
   * ({@code {id, name, email, phoneNumber}}), keyed by sender; a sender without one is absent.
   */
  public static Future<Map<Sender, JsonObject>> bySenders(SqlClient db, List<Sender> senders) {
    if (senders.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> accounts = new ArrayList<>();
    List<String> numbers = new ArrayList<>();
    Map<String, List<Sender>> byKey = new HashMap<>();
    for (Sender sender : senders) {
      String number = lookedUp(sender.phoneNumber());
      byKey.computeIfAbsent(sender.accountId() + " " + number, k -> {
        accounts.add(sender.accountId());
        numbers.add(number);
        return new ArrayList<>();
      }).add(sender);
    }
    return db.preparedQuery(ContactsVerticle.BY_SENDERS_SQL)
        .execute(Tuple.tuple().addArrayOfString(accounts.toArray(new String[0]))
            .addArrayOfString(numbers.toArray(new String[0])))
        .map(rows -> {
          Map<Sender, JsonObject> found = new HashMap<>();
          for (Row row : rows) {
            List<Sender> of = byKey.get(row.getString("account_id") + " "
                + row.getString("phone_number"));
            if (of != null) {
              of.forEach(sender -> found.put(sender, answer(row)));
            }
          }
          return found;
        });
  }

  /** The number a contact is looked up by: its E.164 form when it parses, else as given. */
  static String lookedUp(String raw) {
    String e164 = PhoneNumbers.e164(raw, "US");
    return e164 != null ? e164 : raw;
  }

  static JsonObject answer(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("name", row.getString("name"))
        .put("email", row.getString("email"))
        .put("phoneNumber", row.getString("phone_number"));
  }
}

package dev.agentphone.contacts;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.platform.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /v1/contacts} and {@code /v1/contacts/capabilities}: phone numbers are normalised to
 * E.164 here, at the edge.
 */
final class ContactRoutes implements Routes {
  private final ContactsApi contacts;

  ContactRoutes(ContactsApi contacts) {
    this.contacts = contacts;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/contacts").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject contact = fields(body, true);
      body.check();
      Responses.answer(ctx, contacts.create(Caller.accountOf(ctx), contact), 201);
    }));

    api.get("/contacts").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      int offset = query.queryInt("offset", 0, 0, null);
      String search = query.queryString("search");
      query.check();
      Responses.answer(ctx, contacts.list(Caller.accountOf(ctx), limit, offset,
          search == null || search.isBlank() ? null : search.strip()));
    }));

    // before /contacts/:contact_id, which would take "capabilities" for a contact id
    api.get("/contacts/capabilities").handler(Responses.guarded(ctx -> {
      String phoneNumber = queryPhone(Validator.query(ctx).queryString("phone_number"));
      Responses.answer(ctx, contacts.capabilities(Caller.accountOf(ctx), phoneNumber));
    }));

    api.get("/contacts/:contact_id").handler(ctx -> Responses.answer(ctx,
        contacts.get(Caller.accountOf(ctx), ctx.pathParam("contact_id"))));

    api.patch("/contacts/:contact_id").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject changes = fields(body, false);
      body.check();
      Responses.answer(ctx, contacts.update(Caller.accountOf(ctx), ctx.pathParam("contact_id"),
          changes));
    }));

    api.delete("/contacts/:contact_id").handler(ctx -> Responses.noContent(ctx,
        contacts.delete(Caller.accountOf(ctx), ctx.pathParam("contact_id"))));
  }

  /** The {@code phone_number} query parameter in E.164, or 422 when missing or not a number. */
  private static String queryPhone(String raw) {
    JsonArray loc = new JsonArray().add("query").add("phone_number");
    if (raw == null || raw.isBlank()) {
      throw ApiError.invalid(loc, "missing", "Field required");
    }
    if (raw.startsWith(" ") && raw.strip().matches("\\d{7,15}")) {
      // a "+" sent unencoded arrives as a space
      raw = "+" + raw.strip();
    }
    String e164 = PhoneNumbers.e164(raw, "US");
    if (e164 == null) {
      throw ApiError.invalid(loc, "value_error", PhoneNumbers.invalid(raw));
    }
    return e164;
  }

  /** Present fields, validated; on update a null phone number or name leaves it unchanged. */
  private static JsonObject fields(Validator body, boolean create) {
    JsonObject out = new JsonObject();
    String phone = create ? body.requiredString("phoneNumber") : body.optionalString("phoneNumber");
    if (phone != null) {
      String e164 = PhoneNumbers.e164(phone, "US");
      if (e164 == null) {
        body.reject("phoneNumber", "value_error", PhoneNumbers.invalid(phone));
      }
      out.put("phoneNumber", e164);
    }
    String name = create ? body.requiredString("name") : body.optionalString("name");
    if (name != null) {
      if (name.isBlank()) {
        body.reject("name", "string_too_short", "String should have at least 1 character");
      }
      // strip(), not trim(): trim() also eats control characters, changing the name silently
      out.put("name", name.strip());
    }
    for (String field : new String[] {"email", "notes"}) {
      String value = body.optionalString(field);
      if (body.present(field)) {
        out.put(field, value);
      }
    }
    return out;
  }
}

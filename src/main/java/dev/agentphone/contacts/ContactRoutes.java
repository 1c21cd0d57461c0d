package dev.agentphone.contacts;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.PhoneNumbers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /v1/contacts}: phone numbers are normalised to E.164 here, at the edge. */
public final class ContactRoutes implements Routes {
  @Override
  public void mountApi(Router api, Engine engine) {
    api.post("/contacts").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject contact = fields(body, true);
      body.check();
      Responses.forward(ctx, ContactsVerticle.CREATE,
          Caller.of(ctx).payload().put("contact", contact), 201);
    }));

    api.get("/contacts").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      int offset = query.queryInt("offset", 0, 0, null);
      String search = query.queryString("search");
      query.check();
      Responses.forward(ctx, ContactsVerticle.LIST, Caller.of(ctx).payload()
          .put("limit", limit).put("offset", offset)
          .put("search", search == null || search.isBlank() ? null : search.strip()));
    }));

    api.get("/contacts/:contact_id").handler(ctx ->
        Responses.forward(ctx, ContactsVerticle.GET, contact(ctx)));

    api.patch("/contacts/:contact_id").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject changes = fields(body, false);
      body.check();
      Responses.forward(ctx, ContactsVerticle.UPDATE, contact(ctx).put("changes", changes));
    }));

    api.delete("/contacts/:contact_id").handler(ctx ->
        Bus.request(ctx.vertx(), ContactsVerticle.DELETE, contact(ctx))
            .onSuccess(v -> ctx.response().setStatusCode(204).end())
            .onFailure(failure -> Responses.error(ctx, failure)));
  }

  private static JsonObject contact(RoutingContext ctx) {
    return Caller.of(ctx).payload().put("contactId", ctx.pathParam("contact_id"));
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

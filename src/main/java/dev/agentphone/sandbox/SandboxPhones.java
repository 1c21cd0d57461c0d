package dev.agentphone.sandbox;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.platform.Routes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * The phones that outbound sandbox calls reach, as an account set them up: answered by a person
 * (the default) or by voicemail, and whether a call screener picks up first. {@code PUT
 * /sandbox/phones/{phone_number} {answeredBy, screening}} sets one up, {@code GET} reads it,
 * {@code DELETE} puts it back to a person with no screener. Each account has its own, kept with
 * the simulated Retell's objects ({@code sandbox_retell_objects}, kind {@code phone}).
 */
final class SandboxPhones implements Routes {
  static final List<String> ANSWERED_BY = List.of("human", "voicemail");

  /** How one phone answers. */
  record Phone(String answeredBy, boolean screening) {
    static final Phone HUMAN = new Phone("human", false);

    boolean voicemail() {
      return "voicemail".equals(answeredBy);
    }

    JsonObject toJson(String number) {
      return new JsonObject().put("phoneNumber", number).put("answeredBy", answeredBy)
          .put("screening", screening);
    }
  }

  private final Pool pool;
  private final Handler<RoutingContext> auth;

  SandboxPhones(Pool pool, Handler<RoutingContext> auth) {
    this.pool = pool;
    this.auth = auth;
  }

  /** How {@code number} answers the calls of {@code accountId}; a person when not set up. */
  Future<Phone> of(String accountId, String number) {
    if (accountId == null || number == null) {
      return Future.succeededFuture(Phone.HUMAN);
    }
    return SandboxRetellRoutes.get(pool, "phone", id(accountId, number)).map(body ->
        body == null ? Phone.HUMAN : new Phone(body.getString("answeredBy", "human"),
            body.getBoolean("screening", false)));
  }

  @Override
  public void mountPublic(Router root) {
    String path = "/sandbox/phones/:phone_number";
    root.put(path).handler(auth).handler(Responses.guarded(ctx -> {
      String number = number(ctx);
      Validator body = Validator.body(ctx);
      String answeredBy = body.optionalEnum("answeredBy", ANSWERED_BY);
      Object screening = body.raw().getValue("screening");
      if (screening != null && !(screening instanceof Boolean)) {
        body.reject("screening", "bool_type", "Input should be a valid boolean");
      }
      body.check();
      Phone phone = new Phone(answeredBy == null ? "human" : answeredBy,
          Boolean.TRUE.equals(screening));
      Responses.answer(ctx, SandboxRetellRoutes.put(pool, "phone",
              id(Caller.accountOf(ctx), number), phone.toJson(number))
          .map(stored -> phone.toJson(number)));
    }));
    root.get(path).handler(auth).handler(Responses.guarded(ctx -> {
      String number = number(ctx);
      Responses.answer(ctx, of(Caller.accountOf(ctx), number).map(p -> p.toJson(number)));
    }));
    root.delete(path).handler(auth).handler(Responses.guarded(ctx -> {
      String number = number(ctx);
      Responses.answer(ctx, pool.preparedQuery("DELETE FROM sandbox_retell_objects "
              + "WHERE kind = 'phone' AND id = $1")
          .execute(Tuple.of(id(Caller.accountOf(ctx), number)))
          .map(rows -> Phone.HUMAN.toJson(number)));
    }));
  }

  private static String number(RoutingContext ctx) {
    String number = ctx.pathParam("phone_number");
    if (!PhoneNumbers.isStrictE164(number)) {
      throw ApiError.invalid(new JsonArray().add("path").add("phone_number"), "value_error",
          "Value error, phone_number must be an E.164 phone number such as +14155550123");
    }
    return number;
  }

  private static String id(String accountId, String number) {
    return accountId + ":" + number;
  }
}

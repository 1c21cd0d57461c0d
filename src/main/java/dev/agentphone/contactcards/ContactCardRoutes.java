package dev.agentphone.contactcards;

import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

import java.util.List;

/** {@code /v1/numbers/{number_id}/contact-card}: read, set (replace) and remove a number's card. */
final class ContactCardRoutes implements Routes {
  static final int MAX_NAME = 100;
  static final int MAX_URL = 2083;
  private static final List<String> FIELDS =
      List.of("firstName", "lastName", "displayName", "avatarUrl");

  private final ContactCardsApi cards;

  ContactCardRoutes(ContactCardsApi cards) {
    this.cards = cards;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/numbers/:number_id/contact-card").handler(ctx -> Responses.answer(ctx,
        cards.get(Caller.accountOf(ctx), ctx.pathParam("number_id"))));

    api.put("/numbers/:number_id/contact-card").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String firstName = name(body, "firstName");
      String lastName = name(body, "lastName");
      String displayName = name(body, "displayName");
      String avatarUrl = avatarUrl(body);
      // a field of the wrong type is an error of its own, not a card left empty
      if (firstName == null && lastName == null && displayName == null && avatarUrl == null
          && FIELDS.stream().noneMatch(field -> body.raw().getValue(field) != null
              && !(body.raw().getValue(field) instanceof String))) {
        body.reject("displayName", "missing", "Give at least one of firstName, lastName, "
            + "displayName or avatarUrl (DELETE removes the card)");
      }
      body.check();
      Responses.answer(ctx, cards.put(Caller.accountOf(ctx), ctx.pathParam("number_id"),
          new ContactCardsApi.Card(firstName, lastName, displayName, avatarUrl)));
    }));

    api.delete("/numbers/:number_id/contact-card").handler(ctx -> Responses.noContent(ctx,
        cards.delete(Caller.accountOf(ctx), ctx.pathParam("number_id"))));
  }

  /** A name, stripped; blank reads as none, as a card of empty names shows none. */
  private static String name(Validator body, String field) {
    String value = body.optionalString(field);
    if (value == null || value.isBlank()) {
      return null;
    }
    // strip(), not trim(): trim() also eats control characters, changing the name silently
    String name = value.strip();
    if (name.length() > MAX_NAME) {
      body.reject(field, "string_too_long", "String should have at most " + MAX_NAME
          + " characters");
    }
    return name;
  }

  private static String avatarUrl(Validator body) {
    String value = body.optionalString("avatarUrl");
    if (value == null || value.isBlank()) {
      return null;
    }
    String url = value.strip();
    String problem = url.length() > MAX_URL
        ? "URL should have at most " + MAX_URL + " characters" : SsrfGuard.formProblem(url);
    if (problem != null) {
      body.reject("avatarUrl", "url_parsing", problem);
    }
    return url;
  }
}

package dev.agentphone.accounts;

import dev.agentphone.agents.AgentWrites;
import dev.agentphone.numbers.NumberWrites;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.ProviderLease;
import dev.agentphone.platform.Times;
import dev.agentphone.providers.email.EmailSender;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import dev.agentphone.usage.Plans;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Agent signup: an email code, then one transaction creating user, account, starter agent,
 * number, first charge and API key. The starter agent and number are stored through their
 * domains' transactional APIs ({@link AgentWrites}, {@link NumberWrites}).
 */
final class Signup {
  private static final Logger LOG = LoggerFactory.getLogger(Signup.class);

  private final Pool pool;
  private final SignupSettings settings;
  private final Plans plans;
  private final EmailSender email;
  private final Telephony telephony;
  private final AgentWrites agents;
  private final NumbersApi numbers;
  private final OtpCodes codes;

  Signup(Pool pool, SignupSettings settings, Plans plans, EmailSender email, Telephony telephony,
      AgentWrites agents, NumbersApi numbers, OtpCodes codes) {
    this.pool = pool;
    this.settings = settings;
    this.plans = plans;
    this.email = email;
    this.telephony = telephony;
    this.agents = agents;
    this.numbers = numbers;
    this.codes = codes;
  }

  Future<JsonObject> signUp(JsonObject request) {
    String emailAddress = request.getString("email");
    String agentName = request.getString("agentName");
    int ttl = settings.codeTtlSeconds();
    String id = Ids.next("ver");
    String code = OtpCodes.newCode();
    OffsetDateTime expires = Times.now().plusSeconds(ttl);
    return pool.preparedQuery("SELECT 1 FROM accounts WHERE lower(email) = lower($1)")
        .execute(Tuple.of(emailAddress))
        .compose(rows -> {
          if (rows.size() > 0) {
            throw ApiError.conflict("An account with this email already exists");
          }
          return pool.preparedQuery("INSERT INTO signup_verifications (id, email, agent_name, "
                  + "code_hmac, expires_at) VALUES ($1, $2, $3, $4, $5)")
              .execute(Tuple.of(id, emailAddress, agentName, codes.hmac(id, code), expires));
        })
        .compose(r -> email.send(emailAddress, "Your AgentPhone verification code",
                "Your AgentPhone verification code is " + code + ".\n\nIt expires in "
                    + (ttl / 60) + " minutes. If you did not sign up, ignore this email.")
            .recover(e -> Future.failedFuture(
                new ApiError(502, "Could not send the verification email"))))
        .map(v -> new JsonObject()
            .put("verification_id", id)
            .put("human_email", emailAddress)
            .put("expires_at", Times.format(expires))
            .put("message", "A 6-digit verification code was sent to " + emailAddress
                + ". Submit it to /v0/agent/verify within " + (ttl / 60) + " minutes."));
  }

  /**
   * What the claiming transaction decided: a refusal (a wrong code, counted and committed), or the
   * verification, whose email's sign-up lease this attempt now holds.
   */
  private record Claim(ApiError refusal, Row verification, ProviderLease lease) {
  }

  /**
   * Checks the code and creates the account. The starter number is bought between two short
   * transactions, never inside one: the first checks the code and claims the sign-up (a lease on
   * the email, so concurrent verifies of the same sign-up buy one number, and wrong guesses buy
   * none); the second creates the account. A failed purchase or account gives the claim back, and
   * the number too.
   */
  Future<JsonObject> verify(JsonObject request) {
    return claim(request.getString("verificationId"), request.getString("otpCode"))
        .compose(claim -> {
          if (claim.refusal() != null) {
            return Future.failedFuture(claim.refusal());
          }
          return telephony.buy("US", null)
              .recover(failure -> claim.lease().release(pool)
                  .transform(released -> Future.<ProvisionedNumber>failedFuture(failure)))
              .compose(starter -> pool.withTransaction(tx ->
                      createFor(tx, claim.verification().getString("id"), starter)
                          .compose(created -> claim.lease().release(tx).map(created)))
                  .onSuccess(account -> numbers.announce(new NumbersApi.Change("purchased",
                      account.getString("account_id"), account.getString("number_id"),
                      account.getString("phone_number"), account.getString("agent_id"))))
                  .recover(failure -> {
                    telephony.release(starter).onFailure(e -> LOG.warn("could not release {} "
                        + "after a failed signup; release it at the provider by hand",
                        starter.phoneNumber(), e));
                    return claim.lease().release(pool)
                        .transform(released -> Future.<JsonObject>failedFuture(failure));
                  }));
        })
        .recover(failure -> Database.isUniqueViolation(failure)
            && String.valueOf(Database.constraint(failure)).contains("email")
            ? Future.failedFuture(ApiError.conflict("An account with this email already exists"))
            : Future.failedFuture(failure));
  }

  /** The first transaction: every check of the code, the failure count, and the claim. */
  private Future<Claim> claim(String verificationId, String code) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT id, email, agent_name, code_hmac, "
                + "attempts, expires_at, consumed_at FROM signup_verifications WHERE id = $1 "
                + "FOR UPDATE")
            .execute(Tuple.of(verificationId))
            .compose(rows -> {
              Row verification = usable(rows);
              return failuresFor(tx, verification.getString("email"))
                  .compose(failures -> check(tx, verification, failures, code));
            }));
  }

  private static Row usable(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw ApiError.notFound("Verification");
    }
    Row verification = rows.iterator().next();
    if (verification.getOffsetDateTime("consumed_at") != null) {
      throw ApiError.badRequest("This verification was already used");
    }
    if (verification.getOffsetDateTime("expires_at").isBefore(Times.now())) {
      throw ApiError.badRequest("Verification code expired; sign up again for a new code");
    }
    return verification;
  }

  /** Wrong codes for this email inside the current failure window (rows locked for the update). */
  private Future<Integer> failuresFor(SqlClient tx, String emailAddress) {
    int window = settings.failureWindowSeconds();
    return tx.preparedQuery("SELECT failures, window_start FROM signup_failures "
            + "WHERE email = lower($1) FOR UPDATE")
        .execute(Tuple.of(emailAddress))
        .map(rows -> {
          if (rows.size() == 0) {
            return 0;
          }
          Row row = rows.iterator().next();
          boolean current = row.getOffsetDateTime("window_start").plusSeconds(window)
              .isAfter(Times.now());
          return current ? row.getInteger("failures") : 0;
        });
  }

  private Future<Claim> check(SqlClient tx, Row verification, int emailFailures, String code) {
    int maxAttempts = settings.maxAttempts();
    String id = verification.getString("id");
    String emailAddress = verification.getString("email");
    if (verification.getInteger("attempts") >= maxAttempts || emailFailures >= maxAttempts) {
      return Future.succeededFuture(new Claim(new ApiError(429,
          "Too many wrong codes for this verification; try again later"), null, null));
    }
    if (!codes.matches(id, code, verification.getString("code_hmac"))) {
      // Counted and committed even though the request fails: that is what stops guessing.
      int window = settings.failureWindowSeconds();
      return tx.preparedQuery("UPDATE signup_verifications SET attempts = attempts + 1 WHERE id = $1")
          .execute(Tuple.of(id))
          .compose(r -> tx.preparedQuery("INSERT INTO signup_failures (email, failures, window_start) "
                  + "VALUES (lower($1), 1, now()) ON CONFLICT (email) DO UPDATE SET "
                  + "failures = CASE WHEN signup_failures.window_start + make_interval(secs => $2) "
                  + "> now() THEN signup_failures.failures + 1 ELSE 1 END, "
                  + "window_start = CASE WHEN signup_failures.window_start "
                  + "+ make_interval(secs => $2) > now() THEN signup_failures.window_start "
                  + "ELSE now() END")
              .execute(Tuple.of(emailAddress, window)))
          .map(r -> new Claim(ApiError.badRequest("Invalid verification code"), null, null));
    }
    long seconds = settings.claimSeconds();
    return tx.preparedQuery("SELECT 1 FROM accounts WHERE lower(email) = lower($1)")
        .execute(Tuple.of(emailAddress))
        .compose(accounts -> {
          if (accounts.size() > 0) {
            throw ApiError.conflict("An account with this email already exists");
          }
          // one claim per email, across its verifications; a claim whose holder died expires
          return ProviderLease.tryTake(tx, "signup:" + emailAddress.toLowerCase(Locale.ROOT),
              seconds);
        })
        .map(lease -> {
          if (lease == null) {
            throw ApiError.conflict("This sign-up is already being completed; try again in a "
                + "moment");
          }
          return new Claim(null, verification, lease);
        });
  }

  /** The second transaction: the claimed verification becomes the account, once. */
  private Future<JsonObject> createFor(SqlClient tx, String verificationId,
      ProvisionedNumber starter) {
    return tx.preparedQuery("SELECT id, email, agent_name, consumed_at FROM signup_verifications "
            + "WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(verificationId))
        .compose(rows -> {
          Row verification = rows.iterator().next();
          if (verification.getOffsetDateTime("consumed_at") != null) {
            // only when our claim expired during a very slow purchase and another completed
            throw ApiError.badRequest("This verification was already used");
          }
          return createAccount(tx, verification, starter);
        })
        .compose(created -> tx.preparedQuery(
                "UPDATE signup_verifications SET consumed_at = now() WHERE id = $1")
            .execute(Tuple.of(verificationId))
            .map(r -> created));
  }

  /** Everything a new account starts with, inside the verify transaction. */
  private Future<JsonObject> createAccount(SqlClient tx, Row verification,
      ProvisionedNumber starter) {
    String emailAddress = verification.getString("email");
    String accountId = Ids.next("acct");
    String plan = plans.defaultPlan();
    String apiKey = ApiKeys.generate();
    String agentName = verification.getString("agent_name") != null
        ? verification.getString("agent_name")
        : settings.defaultAgentName();
    OffsetDateTime periodStart = Times.now().withDayOfMonth(1).toLocalDate().atStartOfDay()
        .atOffset(ZoneOffset.UTC);
    JsonObject created = new JsonObject().put("account_id", accountId);
    return tx.preparedQuery("INSERT INTO accounts (id, name, email, plan) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(accountId, emailAddress, emailAddress, plan))
        .compose(r -> tx.preparedQuery("INSERT INTO users (id, account_id, email) VALUES ($1, $2, $3)")
            .execute(Tuple.of(Ids.next("usr"), accountId, emailAddress)))
        .compose(r -> agents.insert(tx, accountId, new JsonObject()
            .put("name", agentName)
            .put("voiceMode", "hosted")
            .put("systemPrompt", "You are a helpful phone assistant. Be brief and friendly.")
            .put("beginMessage", "Hello! How can I help you today?")))
        .compose(agent -> {
          created.put("agent_id", agent.getString("id"));
          return NumberWrites.insert(tx, accountId, agent.getString("id"), starter.phoneNumber(),
              starter.country(), "sms", telephony.name(), starter.providerSid());
        })
        .compose(number -> {
          created.put("number_id", number.id()).put("phone_number", number.phoneNumber());
          return tx.preparedQuery("INSERT INTO charges (id, account_id, description, amount_cents, "
                  + "currency, period_start, period_end) VALUES ($1, $2, $3, $4, 'usd', $5, $6)")
              .execute(Tuple.of(Ids.next("chg"), accountId, "First month of the " + plan + " plan",
                  plans.monthlyPriceCents(plan), periodStart, periodStart.plusMonths(1)));
        })
        .compose(r -> tx.preparedQuery("INSERT INTO api_keys (id, account_id, key_hash, key_prefix) "
                + "VALUES ($1, $2, $3, $4)")
            .execute(Tuple.of(Ids.next("key"), accountId, ApiKeys.hash(apiKey),
                ApiKeys.prefix(apiKey))))
        .map(r -> created.put("api_key", apiKey));
  }
}

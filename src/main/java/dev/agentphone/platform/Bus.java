package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * The request/reply convention between the HTTP edge and the domain verticles: requests are
 * {@link JsonObject}s, answers any JSON value, and failures carry the HTTP status as failure code
 * and {@code {"detail": …}} as message, so an {@link ApiError} crosses the bus unchanged.
 *
 * <p>Payloads and answers are handed over as they are ({@link HandOffCodec}), not copied: once
 * sent, a payload or answer belongs to its receiver and its sender must not change it.
 */
public final class Bus {
  private static final Logger LOG = LoggerFactory.getLogger(Bus.class);
  private static final DeliveryOptions DEFAULT = new DeliveryOptions().setSendTimeout(30_000)
      .setCodecName(HandOffCodec.NAME);
  private static final DeliveryOptions REPLY = new DeliveryOptions()
      .setCodecName(HandOffCodec.NAME);

  private Bus() {
  }

  /**
   * A payload for an operation on {@code accountId}'s data: every such payload names the account
   * it acts for, and the domain scopes every query to it. Sent on behalf of an API request, it
   * also carries the request's {@link Actor} (the API key), for the domain's audit trail.
   */
  public static JsonObject scope(String accountId) {
    JsonObject scope = new JsonObject().put("accountId", accountId);
    Actor actor = Actor.current();
    if (actor != null) {
      scope.put(Actor.FIELD, actor.json());
    }
    return scope;
  }

  /** Makes this Vert.x ready for {@link #answer} and {@link #request}; idempotent. */
  public static void prepare(Vertx vertx) {
    HandOffCodec.register(vertx.eventBus());
  }

  /**
   * Answers requests on {@code address} with {@code handler}. Domain verticles run on every node,
   * so the consumer is node-local: no cluster traffic for a request a local verticle can serve.
   */
  public static MessageConsumer<JsonObject> answer(Vertx vertx, String address,
      Function<JsonObject, Future<?>> handler) {
    return vertx.eventBus().<JsonObject>localConsumer(address, message -> {
      Future<?> result;
      try {
        result = handler.apply(message.body());
      } catch (Throwable failure) {
        result = Future.failedFuture(failure);
      }
      result.onComplete(done -> {
        if (done.succeeded()) {
          message.reply(done.result(), REPLY);
        } else {
          Throwable failure = done.cause();
          if (failure instanceof ApiError error) {
            message.fail(error.status(), error.body().encode());
          } else if (Outages.isDatabaseUnavailable(failure)) {
            LOG.warn("{} failed: the database is unavailable ({})", address, failure.toString());
            ApiError unavailable = Outages.databaseUnavailable();
            message.fail(unavailable.status(), unavailable.body().encode());
          } else {
            LOG.error("{} failed", address, failure);
            message.fail(500, new JsonObject().put("detail", "Internal server error").encode());
          }
        }
      });
    });
  }

  /** Sends a request and returns the answer, turning a failure back into an {@link ApiError}. */
  public static <T> Future<T> request(Vertx vertx, String address, JsonObject payload) {
    return request(vertx, address, payload, DEFAULT);
  }

  /** As {@link #request(Vertx, String, JsonObject)}, giving up after {@code timeoutMillis}. */
  public static <T> Future<T> request(Vertx vertx, String address, JsonObject payload,
      long timeoutMillis) {
    return request(vertx, address, payload, new DeliveryOptions(DEFAULT)
        .setSendTimeout(timeoutMillis));
  }

  private static <T> Future<T> request(Vertx vertx, String address, JsonObject payload,
      DeliveryOptions options) {
    return vertx.eventBus().<T>request(address, payload, options)
        .map(message -> message.body())
        .recover(failure -> Future.failedFuture(toApiError(failure)));
  }

  static Throwable toApiError(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        try {
          Object detail = new JsonObject(reply.getMessage()).getValue("detail");
          return new ApiError(reply.failureCode(), detail);
        } catch (DecodeException | NullPointerException e) {
          return new ApiError(reply.failureCode() > 0 ? reply.failureCode() : 500,
              String.valueOf(reply.getMessage()));
        }
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        // not retried for the client: the work may still complete after the answer was given up
        return new ApiError(504, "The request timed out inside the engine");
      }
      return new ApiError(503, "Service temporarily unavailable");
    }
    return failure;
  }
}

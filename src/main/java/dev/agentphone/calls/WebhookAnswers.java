package dev.agentphone.calls;

import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.egress.WebhookSigner;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import dev.agentphone.webhooks.WebhooksApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A webhook-mode call's answers: each caller utterance is POSTed to the customer's webhook as the
 * signed {@code agent.message} voice event, and the answer is turned into {@code response} frames
 * as it arrives. A webhook that fails or does not answer in time gets the spoken fallback; one
 * turn is in flight at a time, and a newer one abandons it.
 */
final class WebhookAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookAnswers.class);

  /** Where a turn's answer goes: frames to Retell, the complete answer to the transcript. */
  interface Sink {
    void send(JsonObject frame);

    void said(int agentSeq, String words);
  }

  private final Vertx vertx;
  private final Supplier<VoiceWebhook> exchanges;
  private final WebhooksApi webhooks;
  private final SsrfGuard guard;
  private final long maxTurnWaitMillis;
  private final long targetCacheMillis;
  private final String fallback;
  private final CallParties parties;
  private Future<WebhooksApi.Target> cachedTarget;
  private long targetLoadedAt;
  private VoiceWebhook inflight;
  private long inflightTimer = -1;

  WebhookAnswers(Vertx vertx, SessionServices services, Supplier<VoiceWebhook> exchanges,
      CallParties parties) {
    this.vertx = vertx;
    this.exchanges = exchanges;
    this.webhooks = services.webhooks();
    this.guard = services.guard();
    this.parties = parties;
    this.maxTurnWaitMillis = services.voice().maxTurnWaitMillis();
    this.targetCacheMillis = services.voice().webhookTargetCacheMillis();
    this.fallback = services.voice().fallbackMessage();
  }

  /**
   * Asks for the answer to {@code utterance} (response {@code responseId}, to be stored at
   * {@code agentSeq}); {@code current} says whether that response is still the one wanted.
   */
  void ask(int responseId, int agentSeq, String utterance, List<JsonObject> history,
      String transferNumber, IntPredicate current, Sink sink) {
    abandon();
    StringBuilder said = new StringBuilder();
    boolean[] finished = new boolean[1];
    VoiceWebhook exchange = exchanges.get();
    inflight = exchange;
    Runnable giveUp = () -> {
      if (finished[0] || !current.test(responseId)) {
        return;
      }
      finished[0] = true;
      exchange.abandon();
      String words = said.length() == 0 ? fallback : "";
      sink.send(RetellFrames.response(responseId, words, true));
      said.append(words);
      sink.said(agentSeq, said.toString());
    };
    target()
        .onFailure(e -> giveUp.run())
        .onSuccess(target -> {
          if (target == null || !current.test(responseId)) {
            giveUp.run();
            return;
          }
          long timeout = Math.min(maxTurnWaitMillis, target.timeout() * 1000L);
          inflightTimer = vertx.setTimer(timeout, t -> giveUp.run());
          String body = payload(utterance, history, target.contextLimit()).encode();
          Map<String, String> headers = WebhookSigner.headers(Ids.next("whd"),
              System.currentTimeMillis() / 1000, body.getBytes(StandardCharsets.UTF_8),
              target.secret());
          guard.resolve(target.url())
              .compose(checked -> exchange.post(checked, headers, body, timeout, chunk -> {
                if (finished[0] || !current.test(responseId)) {
                  return;
                }
                String words = spaced(said, chunk.text());
                said.append(words);
                JsonObject frame = RetellFrames.response(responseId, words, chunk.last());
                if (chunk.hangup()) {
                  frame.put("end_call", true);
                }
                if (chunk.transfer() && transferNumber != null) {
                  frame.put("transfer_number", transferNumber);
                }
                if (chunk.digits() != null) {
                  frame.put("digit_to_press", chunk.digits());
                }
                sink.send(frame);
                if (chunk.last()) {
                  finished[0] = true;
                  vertx.cancelTimer(inflightTimer);
                  sink.said(agentSeq, said.toString());
                }
              }))
              .onFailure(e -> {
                LOG.debug("voice webhook for call {} failed: {}", parties.callId(),
                    e.getMessage());
                giveUp.run();
              });
        });
  }

  /** Drops the turn in flight, resetting its HTTP stream. */
  void abandon() {
    if (inflight != null) {
      inflight.abandon();
      inflight = null;
    }
    if (inflightTimer >= 0) {
      vertx.cancelTimer(inflightTimer);
      inflightTimer = -1;
    }
  }

  /**
   * The webhook this call's turns go to, looked up at most every few seconds: a turn should not
   * wait for the database, and a changed webhook takes effect within the cache time.
   */
  private Future<WebhooksApi.Target> target() {
    long now = System.currentTimeMillis();
    if (cachedTarget != null && now - targetLoadedAt < targetCacheMillis) {
      return cachedTarget;
    }
    targetLoadedAt = now;
    cachedTarget = webhooks.target(parties.accountId(), parties.agentId())
        .onFailure(e -> cachedTarget = null);
    return cachedTarget;
  }

  /** Streamed chunks are concatenated by the voice provider; keep words apart. */
  private static String spaced(StringBuilder said, String text) {
    if (said.length() == 0 || text.isEmpty() || Character.isWhitespace(text.charAt(0))
        || Character.isWhitespace(said.charAt(said.length() - 1))) {
      return text;
    }
    return " " + text;
  }

  /** The {@code agent.message} voice event, as every other webhook event is shaped. */
  private JsonObject payload(String utterance, List<JsonObject> history, int contextLimit) {
    List<JsonObject> recent = history.subList(Math.max(0, history.size() - contextLimit),
        history.size());
    return new JsonObject()
        .put("event", "agent.message")
        .put("channel", "voice")
        .put("timestamp", Times.format(Times.now()))
        .put("agentId", parties.agentId())
        .put("data", new JsonObject()
            .put("callId", parties.callId())
            .put("numberId", parties.numberId())
            .put("from", parties.from())
            .put("to", parties.to())
            .put("status", "in-progress")
            .put("transcript", utterance)
            .put("confidence", null)
            .put("direction", parties.direction()))
        .put("conversationState", null)
        .put("recentHistory", new JsonArray(recent.stream().map(turn -> new JsonObject()
            .put("messageId", turn.getString("id"))
            .put("content", turn.getString("content"))
            .put("direction", "user".equals(turn.getString("role")) ? "inbound" : "outbound")
            .put("channel", "voice")
            .put("at", turn.getString("createdAt"))).collect(Collectors.toList())));
  }
}

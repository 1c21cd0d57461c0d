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
 * turn is in flight at a time, and a newer one abandons it. An answer may name one of the
 * agent's tools ({@code toolCall}): the engine runs it and posts the event again with its
 * {@code toolResult}, whose answer then completes the turn.
 */
final class WebhookAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookAnswers.class);

  /** Where a turn's answer goes: frames to Retell, the complete answer to the transcript. */
  interface Sink {
    void send(JsonObject frame);

    void said(int agentSeq, String words);

    /** The webhook request went out (for the turn's timing; {@link TimedSink}). */
    default void webhookSent() {
    }

    default void webhookFirstByte() {
    }

    /** The webhook's answer is complete ({@code answered}) or was given up on. */
    default void webhookDone(boolean answered) {
    }

    /** The turn was answered with the spoken fallback. */
    default void fellBack() {
    }
  }

  /** Tools one turn may run before its answer must be words. */
  static final int MAX_TOOL_CALLS = 5;

  private final Vertx vertx;
  private final Supplier<VoiceWebhook> exchanges;
  private final ToolCalls tools;
  private final WebhooksApi webhooks;
  private final SsrfGuard guard;
  private final long maxTurnWaitMillis;
  private final long targetCacheMillis;
  private final String fallback;
  private final CallParties parties;
  private final LiveFeed feed;
  private final SharedLookup<WebhooksApi.Target> sharedTarget;
  private Future<WebhooksApi.Target> cachedTarget;
  private long targetLoadedAt;
  private VoiceWebhook inflight;
  private long inflightTimer = -1;

  WebhookAnswers(Vertx vertx, SessionServices services, Supplier<VoiceWebhook> exchanges,
      CallParties parties, LiveFeed feed) {
    this.vertx = vertx;
    this.feed = feed;
    this.exchanges = exchanges;
    this.webhooks = services.webhooks();
    this.tools = services.tools();
    this.guard = services.guard();
    this.parties = parties;
    this.maxTurnWaitMillis = services.voice().maxTurnWaitMillis();
    this.targetCacheMillis = services.voice().webhookTargetCacheMillis();
    this.fallback = services.voice().fallbackMessage();
    this.sharedTarget = services.lookups().target(parties.accountId(), parties.agentId());
  }

  /** One turn: what it answers, where it goes and what was said so far. */
  private static final class Turn {
    final int responseId;
    final int agentSeq;
    final String utterance;
    final List<JsonObject> history;
    final JsonObject agent;
    final IntPredicate current;
    final Sink sink;
    final StringBuilder said = new StringBuilder();
    boolean finished;
    int toolCalls;
    /** When the webhook was asked (this exchange), for live subscribers' {@code webhookMs}. */
    long askedAt;

    Turn(int responseId, int agentSeq, String utterance, List<JsonObject> history,
        JsonObject agent, IntPredicate current, Sink sink) {
      this.responseId = responseId;
      this.agentSeq = agentSeq;
      this.utterance = utterance;
      this.history = history;
      this.agent = agent;
      this.current = current;
      this.sink = sink;
    }

    boolean wanted() {
      return !finished && current.test(responseId);
    }

    /** Speaks {@code text} as part of the answer; {@code last} completes it. */
    JsonObject frame(String text, boolean last) {
      String words = spaced(said, text);
      said.append(words);
      return RetellFrames.response(responseId, words, last);
    }

    void complete() {
      finished = true;
      sink.said(agentSeq, said.toString());
    }
  }

  /**
   * Asks for the answer to {@code utterance} (response {@code responseId}, to be stored at
   * {@code agentSeq}) from the webhook of {@code agent} (an AgentResponse: its transfer number
   * and tools); {@code current} says whether that response is still the one wanted.
   */
  void ask(int responseId, int agentSeq, String utterance, List<JsonObject> history,
      JsonObject agent, IntPredicate current, Sink sink) {
    abandon();
    exchange(new Turn(responseId, agentSeq, utterance, history, agent, current, sink), null);
  }

  /** One POST of the turn: the first, or the one after a tool ran ({@code toolResult}). */
  private void exchange(Turn turn, JsonObject toolResult) {
    VoiceWebhook exchange = exchanges.get();
    inflight = exchange;
    Runnable giveUp = () -> {
      if (!turn.wanted()) {
        return;
      }
      exchange.abandon();
      turn.sink.webhookDone(false);
      turn.sink.fellBack();
      answeredLive(turn, false);
      turn.sink.send(turn.frame(turn.said.length() == 0 ? fallback : "", true));
      turn.complete();
    };
    target()
        .onFailure(e -> giveUp.run())
        .onSuccess(target -> {
          if (target == null || !turn.current.test(turn.responseId)) {
            giveUp.run();
            return;
          }
          long timeout = Math.min(maxTurnWaitMillis, target.timeout() * 1000L);
          inflightTimer = vertx.setTimer(timeout, t -> giveUp.run());
          String body = payload(turn, target.contextLimit(), toolResult).encode();
          turn.askedAt = System.currentTimeMillis();
          feed.publish("webhook_started", new JsonObject().put("responseId", turn.responseId)
              .put("toolResult", toolResult != null));
          Map<String, String> headers = WebhookSigner.headers(Ids.next("whd"),
              System.currentTimeMillis() / 1000, body.getBytes(StandardCharsets.UTF_8),
              target.signingSecrets());
          exchange.onFirstByte(turn.sink::webhookFirstByte);
          guard.resolve(target.url())
              .compose(checked -> {
                turn.sink.webhookSent();
                return exchange.post(checked, headers, body, timeout,
                    chunk -> answered(turn, chunk));
              })
              .onFailure(e -> {
                if (exchange.abandoned()) {
                  // dropped on purpose (superseded, taken over, given up on, the call or its
                  // socket gone): whoever dropped it speaks for the turn. With the connection
                  // on this event loop this failure comes at once, inside the abandon() call
                  return;
                }
                LOG.debug("voice webhook for call {} failed: {}", parties.callId(),
                    e.getMessage());
                giveUp.run();
              });
        });
  }

  /** A piece of the webhook's answer: spoken, and on the last one a tool run or the turn done. */
  private void answered(Turn turn, VoiceWebhook.Chunk chunk) {
    if (!turn.wanted()) {
      return;
    }
    if (chunk.last()) {
      turn.sink.webhookDone(true);
    }
    boolean toolCall = chunk.last() && chunk.toolCall() != null
        && turn.toolCalls < MAX_TOOL_CALLS;
    JsonObject frame = turn.frame(chunk.text(), chunk.last() && !toolCall);
    if (chunk.hangup()) {
      frame.put("end_call", true);
    }
    String transferNumber = turn.agent.getString("transferNumber");
    if (chunk.transfer() && transferNumber != null) {
      frame.put("transfer_number", transferNumber);
    }
    if (chunk.digits() != null) {
      frame.put("digit_to_press", chunk.digits());
    }
    if (!toolCall || !frame.getString("content").isEmpty()) {
      turn.sink.send(frame);
    }
    if (chunk.last()) {
      vertx.cancelTimer(inflightTimer);
      answeredLive(turn, true);
      if (toolCall) {
        runTool(turn, chunk.toolCall());
      } else {
        turn.complete();
      }
    }
  }

  /**
   * Runs the tool the webhook asked for, speaking its {@code executionMessage} meanwhile when
   * {@code speakDuringExecution} is set, then asks the webhook again with the result.
   */
  private void runTool(Turn turn, JsonObject toolCall) {
    turn.toolCalls++;
    String name = toolCall.getValue("name") instanceof String n ? n : "";
    JsonObject args = toolCall.getValue("arguments") instanceof JsonObject a ? a
        : new JsonObject();
    JsonObject tool = ToolCalls.custom(turn.agent, name);
    if (tool != null && Boolean.TRUE.equals(tool.getValue("speakDuringExecution"))
        && tool.getValue("executionMessage") instanceof String message && !message.isBlank()) {
      turn.sink.send(turn.frame(message, false));
    }
    tools.run(parties, turn.agent, name, args).onComplete(done -> {
      if (!turn.wanted()) {
        return;
      }
      ToolResult result = done.succeeded() ? done.result()
          : ToolResult.failed("The tool " + name + " could not be run");
      feed.publish("tool_call", new JsonObject().put("name", name).put("arguments", args)
          .put("ok", result.ok()));
      exchange(turn, new JsonObject().put("name", name).put("arguments", args)
          .put("ok", result.ok()).put("result", result.value()));
    });
  }

  /** Tells live subscribers the webhook answered (or, {@code ok} false, gave the fallback). */
  private void answeredLive(Turn turn, boolean ok) {
    feed.publish("webhook_answered", new JsonObject().put("responseId", turn.responseId)
        .put("ok", ok).put("webhookMs", turn.askedAt == 0 ? null
            : System.currentTimeMillis() - turn.askedAt));
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
   * wait for the database, and a changed webhook takes effect within the cache time. Only the
   * call's first turn (or one after a failed lookup) waits for the lookup; a stale answer is
   * used once more while the next one is read in the background.
   */
  private Future<WebhooksApi.Target> target() {
    long now = System.currentTimeMillis();
    if (cachedTarget != null && cachedTarget.succeeded()) {
      // a newer read by another call of the agent on this node
      SharedLookup.Read<WebhooksApi.Target> latest = sharedTarget.latest();
      if (latest != null && latest.at() > targetLoadedAt) {
        cachedTarget = Future.succeededFuture(latest.value());
        targetLoadedAt = latest.at();
      }
    }
    if (cachedTarget != null && now - targetLoadedAt < targetCacheMillis) {
      return cachedTarget;
    }
    if (cachedTarget != null && cachedTarget.succeeded()) {
      if (sharedTarget.claim()) {
        targetLoadedAt = now;
        webhooks.target(parties.accountId(), parties.agentId()).onComplete(done -> {
          sharedTarget.release();
          if (done.succeeded()) {
            cachedTarget = Future.succeededFuture(done.result());
            sharedTarget.offer(done.result(), now);
          }
        });
      }
      return cachedTarget;
    }
    // the call's first turn reads it itself: a webhook changed just before the call is used
    targetLoadedAt = now;
    cachedTarget = webhooks.target(parties.accountId(), parties.agentId())
        .onSuccess(target -> sharedTarget.offer(target, now))
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

  /**
   * The {@code agent.message} voice event, as every other webhook event is shaped, with the tools
   * the webhook may ask the engine to run and, after one ran, its {@code toolResult}.
   */
  private JsonObject payload(Turn turn, int contextLimit, JsonObject toolResult) {
    List<JsonObject> history = turn.history;
    List<JsonObject> recent = history.subList(Math.max(0, history.size() - contextLimit),
        history.size());
    JsonObject data = new JsonObject()
        .put("callId", parties.callId())
        .put("numberId", parties.numberId())
        .put("from", parties.from())
        .put("to", parties.to())
        .put("status", "in-progress")
        .put("transcript", turn.utterance)
        .put("confidence", null)
        .put("direction", parties.direction())
        .put("tools", ToolCalls.described(turn.agent, false));
    if (toolResult != null) {
      data.put("toolResult", toolResult);
    }
    return new JsonObject()
        .put("event", "agent.message")
        .put("channel", "voice")
        .put("timestamp", Times.format(Times.now()))
        .put("accountId", parties.accountId())
        .put("agentId", parties.agentId())
        .put("data", data)
        .put("conversationState", null)
        .put("recentHistory", new JsonArray(recent.stream().map(entry -> new JsonObject()
            .put("messageId", entry.getString("id"))
            .put("content", entry.getString("content"))
            .put("direction", "user".equals(entry.getString("role")) ? "inbound" : "outbound")
            .put("channel", "voice")
            .put("at", entry.getString("createdAt"))).collect(Collectors.toList())));
  }
}

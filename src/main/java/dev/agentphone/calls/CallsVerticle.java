package dev.agentphone.calls;

import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls domain's verticle: placing calls ({@link CallPlacement}), Retell's events
 * ({@link RetellEvents}), the tools Retell runs ({@link ToolCalls}), keeping our numbers in Retell
 * ({@link RetellNumbers}), reading calls ({@link CallQueries}) and their recordings
 * ({@link CallRecordings}); it also starts and stops the node's session heartbeat.
 */
final class CallsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CallsVerticle.class);
  private final Pool pool;
  private final CallSessions sessions;
  private final CallPlacement placement;
  private final CallAdoption adoption;
  private final ToolCalls tools;
  private final ToolRunner runner;
  private final RetellEvents events;
  private final RetellNumbers retellNumbers;
  private final CallQueries queries;
  private final CallRecordings recordings;
  private final RetellClient retell;
  private final NumbersApi numbers;
  private final LiveTokens tokens;
  private MessageConsumer<JsonObject> numberChanges;

  CallsVerticle(Pool pool, CallSessions sessions, CallPlacement placement, CallAdoption adoption,
      ToolCalls tools, ToolRunner runner, RetellNumbers retellNumbers, CallQueries queries,
      CallRecordings recordings, RetellClient retell, NumbersApi numbers) {
    this.pool = pool;
    this.sessions = sessions;
    this.placement = placement;
    this.adoption = adoption;
    this.tools = tools;
    this.runner = runner;
    this.events = new RetellEvents(pool, adoption, sessions, recordings);
    this.retellNumbers = retellNumbers;
    this.queries = queries;
    this.recordings = recordings;
    this.retell = retell;
    this.numbers = numbers;
    this.tokens = new LiveTokens(pool);
  }

  @Override
  public Future<?> start() {
    sessions.startHeartbeat();
    Bus.answer(vertx, CallsApi.CREATE, placement::create);
    Bus.answer(vertx, CallsApi.CREATE_WEB, placement::createWeb);
    Bus.answer(vertx, CallsApi.LIST, queries::list);
    Bus.answer(vertx, CallsApi.GET, queries::get);
    Bus.answer(vertx, CallsApi.TRANSCRIPT, queries::transcript);
    Bus.answer(vertx, CallsApi.TIMELINE, new CallTimelineQuery(pool, queries)::timeline);
    Bus.answer(vertx, CallsApi.REPLAY, queries::replay);
    Bus.answer(vertx, CallsApi.END, this::end);
    Bus.answer(vertx, CallsApi.LIVE_COUNT, request ->
        CallStore.liveCount(pool, request.getString("accountId")));
    Bus.answer(vertx, CallsApi.RETELL_EVENT, events::handle);
    Bus.answer(vertx, CallsApi.LOCATE, request -> CallStore.byRetellId(pool,
            request.getString("retellCallId"))
        .map(row -> row == null ? null : new JsonObject().put("callId", row.getString("id"))
            .put("agentId", row.getString("agent_id"))));
    Bus.answer(vertx, CallsApi.CONFIRM, request -> adoption.confirm(
        request.getString("retellCallId"), request.getString("agentId")));
    Bus.answer(vertx, CallsApi.PREPARE_INBOUND, retellNumbers::prepareInbound);
    Bus.answer(vertx, CallsApi.RETELL_TOOL, tools::fromRetell);
    Bus.answer(vertx, CallsApi.RECORDING, recordings::audio);
    Bus.answer(vertx, CallsApi.RECORDING_SETTING, recordings::setting);
    Bus.answer(vertx, CallsApi.SET_RECORDING, recordings::set);
    Bus.answer(vertx, CallsApi.LIVE_TOKEN, request -> queries.found(request).compose(row ->
        tokens.issue(request.getString("accountId"), row.getString("id"),
            request.getString("keyId"))));
    Bus.answer(vertx, CallsApi.REDEEM_LIVE_TOKEN, request -> tokens.redeem(
        request.getString("token"), request.getString("callId")));
    Bus.answer(vertx, CallsApi.COMMAND, this::command);
    numberChanges = numbers.onChange(retellNumbers::changed);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    sessions.close();
    runner.close();
    return numberChanges == null ? Future.succeededFuture() : numberChanges.unregister();
  }

  /**
   * A call ended on our side may still run at Retell: it is hung up there too. Retell's
   * {@code call_ended} then changes nothing of the call, but names its recording.
   */
  private void stopAtRetell(Row call) {
    String retellId = call.getString("retell_call_id");
    if (retellId != null) {
      retell.stopCall(retellId).onFailure(e -> LOG.warn("could not ask Retell to hang up call "
          + "{}: {}", call.getString("id"), e.getMessage()));
    }
  }

  /**
   * An operator's command: refused on a call that has ended; {@code end} as the API's hang-up,
   * the others carried to the session wherever it runs.
   */
  private Future<JsonObject> command(JsonObject request) {
    JsonObject command = request.getJsonObject("command");
    return queries.found(request).compose(row -> {
      if (!CallStore.live(row.getString("status"))) {
        return Future.succeededFuture(new JsonObject().put("ok", false)
            .put("detail", "The call has ended"));
      }
      if ("end".equals(command.getString("command"))) {
        return end(request).map(call -> new JsonObject().put("ok", true))
            .recover(e -> Future.succeededFuture(new JsonObject().put("ok", false)
                .put("detail", e.getMessage())));
      }
      return sessions.deliver(row.getString("id"), new JsonObject().put("op", "command")
          .mergeIn(command));
    });
  }

  private Future<JsonObject> end(JsonObject request) {
    return queries.found(request).compose(row -> {
      if (!CallStore.live(row.getString("status"))) {
        return Future.failedFuture(ApiError.conflict("Call is not in progress"));
      }
      return sessions.deliver(row.getString("id"), new JsonObject().put("op", "end"))
          .compose(reply -> {
            if (reply.getBoolean("stopAtProvider", false)) {
              stopAtRetell(row);
            }
            return queries.summaryOf(row.getString("id"));
          });
    });
  }
}

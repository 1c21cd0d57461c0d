package dev.agentphone.agents;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.ProviderLease;
import dev.agentphone.providers.retell.RetellAgents;
import dev.agentphone.providers.retell.RetellAgents.Provisioned;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.function.Function;

/**
 * Keeps an agent's Retell objects in step with its row without holding a database transaction
 * (or a pooled connection) while Retell is called: a slow Retell slows only the requests that
 * wait for it. Each change calls Retell first and then writes our side in one short transaction;
 * when our write fails, Retell is put back (compensation) so the two do not drift apart.
 *
 * <p>Changes to one agent's Retell objects take turns through the agent's
 * {@link ProviderLease} (what a row lock held across the call used to do): a change that finds
 * another one under way waits for it, up to {@value #PATIENCE_MILLIS} ms, then gets a 409.
 */
final class VoiceProvisioning {
  private static final Logger LOG = LoggerFactory.getLogger(VoiceProvisioning.class);
  /** Below the event bus's request time-out, so the caller hears 409 rather than a time-out. */
  private static final long PATIENCE_MILLIS = 20_000;

  /** Fields Retell holds a copy of: changing any of them re-provisions the voice agent. */
  static final Set<String> VOICE_FIELDS = Stream.concat(Stream.of("name", "voiceMode",
      "modelTier", "systemPrompt", "beginMessage", "voice", "voicemailMessage", "sttMode"),
      VoiceSettings.names().stream()).collect(Collectors.toUnmodifiableSet());

  private final Vertx vertx;
  private final Pool pool;
  private final RetellClient retell;
  private final RetellAgents voiceAgents;
  /** Longer than the slowest change: up to five Retell requests, each bounded by its time-out. */
  private final long leaseSeconds;

  VoiceProvisioning(Vertx vertx, Pool pool, RetellClient retell, RetellAgents voiceAgents,
      long retellTimeoutMillis) {
    this.vertx = vertx;
    this.pool = pool;
    this.retell = retell;
    this.voiceAgents = voiceAgents;
    this.leaseSeconds = 6 * retellTimeoutMillis / 1000 + 10;
  }

  /**
   * Provisions {@code draft} at Retell, then stores the agent and its Retell ids together. A
   * Retell failure stores nothing (502); a failed store deletes what was provisioned.
   */
  Future<JsonObject> create(JsonObject request, JsonObject draft) {
    String accountId = request.getString("accountId");
    // a database we cannot reach now would leave what Retell provisions with nowhere to go
    // (and perhaps no way to delete it either): find out before asking Retell for anything
    return pool.query("SELECT 1").execute().compose(reachable -> voiceAgents.create(draft))
        .compose(provisioned -> pool.withTransaction(tx ->
            AgentWrites.insertDraft(tx, accountId, draft).compose(agent ->
                VoiceAgentStore.save(tx, accountId, agent.getString("id"), provisioned)
                    .compose(saved -> AuditTrail.created(tx, request, AgentsVerticle.AUDITED,
                        agent.getString("id"), agent))
                    .map(agent)))
        .recover(failure -> undo(provisioned, failure)));
  }

  /**
   * Applies voice-field {@code changes} through {@code write} (the agent's UPDATE, answering the
   * changed row): Retell first, then the row and its Retell ids in one transaction. A never
   * provisioned agent only gets its row written; it is provisioned with the new fields when first
   * needed.
   */
  Future<RowSet<Row>> update(String accountId, String agentId, JsonObject changes,
      Function<SqlClient, Future<RowSet<Row>>> write) {
    return leased(agentId, () -> current(accountId, agentId).compose(agent ->
        VoiceAgentStore.find(pool, accountId, agentId).compose(before -> {
          if (before == null) {
            return write.apply(pool).map(AgentsVerticle::found);
          }
          JsonObject wanted = agent.copy();
          VOICE_FIELDS.stream().filter(changes::containsKey)
              .forEach(field -> wanted.put(field, changes.getValue(field)));
          VoiceSettings.withDefaults(wanted);
          return voiceAgents.update(before, wanted).compose(after -> pool.withTransaction(tx ->
                  write.apply(tx).map(AgentsVerticle::found).compose(rows ->
                      VoiceAgentStore.save(tx, accountId, agentId, after).map(rows)))
              .onSuccess(rows -> voiceAgents.retire(before, after)
                  .onFailure(e -> LOG.warn("could not delete unused voice LLM", e)))
              .recover(failure -> restore(before, after, agent)
                  .transform(restored -> Future.failedFuture(failure))));
        })));
  }

  /**
   * Deletes the agent's Retell objects, then the agent through {@code deleteRow}. A Retell failure
   * keeps the agent (502), so the delete can be retried; a delete of Retell objects already gone
   * succeeds, so a retry after a failed row delete converges.
   */
  Future<RowSet<Row>> delete(String accountId, String agentId,
      Function<SqlClient, Future<RowSet<Row>>> deleteRow) {
    return leased(agentId, () -> current(accountId, agentId)
        .compose(agent -> VoiceAgentStore.find(pool, accountId, agentId))
        .compose(provisioned -> provisioned == null ? Future.<Void>succeededFuture()
            : voiceAgents.delete(provisioned))
        .compose(v -> deleteRow.apply(pool)));
  }

  /**
   * The agent and its Retell objects, provisioning them now if it has none yet (the signup agent
   * before its first call).
   */
  Future<Ready> ensure(String accountId, String agentId) {
    return current(accountId, agentId).compose(agent ->
        VoiceAgentStore.find(pool, accountId, agentId).compose(existing -> existing != null
            ? Future.succeededFuture(new Ready(agent, existing))
            : leased(agentId, () -> provisionOnce(accountId, agentId))));
  }

  /** An agent row (AgentResponse shape) with the Retell objects behind it. */
  record Ready(JsonObject agent, Provisioned provisioned) {
  }

  private Future<Ready> provisionOnce(String accountId, String agentId) {
    // read again under the lease: whoever held it may have provisioned (or changed) the agent
    return current(accountId, agentId).compose(agent ->
        VoiceAgentStore.find(pool, accountId, agentId).compose(existing -> {
          if (existing != null) {
            return Future.succeededFuture(new Ready(agent, existing));
          }
          return voiceAgents.create(agent).compose(provisioned ->
              VoiceAgentStore.save(pool, accountId, agentId, provisioned)
                  .recover(failure -> undo(provisioned, failure))
                  .map(v -> new Ready(agent, provisioned)));
        }));
  }

  private <T> Future<T> leased(String agentId, java.util.function.Supplier<Future<T>> work) {
    return ProviderLease.holdingWhenFree(vertx, pool, "agent:" + agentId, leaseSeconds,
        PATIENCE_MILLIS, AgentsVerticle::busy, work);
  }

  private Future<JsonObject> current(String accountId, String agentId) {
    return pool.preparedQuery(AgentsVerticle.GET_SQL).execute(Tuple.of(accountId, agentId))
        .map(rows -> AgentWrites.toJson(AgentsVerticle.found(rows).iterator().next(),
            new JsonArray()));
  }

  private <T> Future<T> undo(Provisioned provisioned, Throwable failure) {
    return voiceAgents.delete(provisioned).transform(done -> {
      if (done.failed()) {
        LOG.warn("could not delete voice agent {} after a failed change", provisioned.agentId(),
            done.cause());
      }
      return Future.failedFuture(failure);
    });
  }

  /**
   * Puts Retell back as {@code before} describes {@code agent} after our side refused a change
   * that Retell had already taken, and deletes an LLM the change created. Never fails: what it
   * cannot undo is logged.
   */
  private Future<Void> restore(Provisioned before, Provisioned after, JsonObject agent) {
    return voiceAgents.update(before, agent)
        .compose(restored -> after.llmId() != null && !after.llmId().equals(before.llmId())
            ? retell.deleteLlm(after.llmId()) : Future.<Void>succeededFuture())
        .onFailure(e -> LOG.warn("could not put voice agent {} back after a failed change",
            before.agentId(), e))
        .otherwiseEmpty();
  }
}

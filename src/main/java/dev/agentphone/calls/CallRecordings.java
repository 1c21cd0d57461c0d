package dev.agentphone.calls;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Call recordings: the account setting that turns them on, and the audio of each recorded call,
 * fetched once from the URL the provider's call object names ({@code recording_url}) and kept in
 * {@code call_recordings}, so that any node can serve it.
 *
 * <p>Only a call whose account had recording on when the call began is recorded
 * ({@code calls.recording_enabled}). A fetch is claimed in the database before it starts, so one
 * node fetches at a time; a failed fetch is retried with a growing delay, up to
 * {@code calls.recording.maxAttempts} times, by the next event about the call or the
 * reconciler's sweep ({@link #retryDue}). A node runs at most
 * {@code calls.recording.concurrentFetches} fetches at once; the sweep picks up what it skipped.
 */
final class CallRecordings {
  private static final Logger LOG = LoggerFactory.getLogger(CallRecordings.class);

  private final Pool pool;
  private final RecordingDownload download;
  private final CallSettings.Recordings settings;
  private final AtomicInteger fetching = new AtomicInteger();

  CallRecordings(Pool pool, RecordingDownload download,
      CallSettings.Recordings settings) {
    this.pool = pool;
    this.download = download;
    this.settings = settings;
  }

  /** SQL for "the account {@code accountParam} has recording on", for an insert of a call. */
  static String enabledFor(String accountParam) {
    return "coalesce((SELECT enabled FROM call_recording_settings WHERE account_id = "
        + accountParam + "), false)";
  }

  /** {@code {recordingEnabled, updatedAt}} of the account (off until turned on). */
  Future<JsonObject> setting(JsonObject request) {
    return pool.preparedQuery("SELECT enabled, updated_at FROM call_recording_settings "
            + "WHERE account_id = $1")
        .execute(Tuple.of(request.getString("accountId")))
        .map(rows -> rows.size() == 0 ? setting(false, null) : setting(rows.iterator().next()));
  }

  /** Turns recording on or off for the account's calls from now on. */
  Future<JsonObject> set(JsonObject request) {
    String accountId = request.getString("accountId");
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT enabled, updated_at "
                + "FROM call_recording_settings WHERE account_id = $1 FOR UPDATE")
            .execute(Tuple.of(accountId))
            .map(rows -> rows.size() == 0 ? setting(false, null) : setting(rows.iterator().next()))
            .compose(before -> tx.preparedQuery("INSERT INTO call_recording_settings "
                    + "(account_id, enabled) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE "
                    + "SET enabled = EXCLUDED.enabled, updated_at = now() "
                    + "RETURNING enabled, updated_at")
                .execute(Tuple.of(accountId, request.getBoolean("enabled")))
                .map(rows -> setting(rows.iterator().next()))
                .compose(after -> AuditTrail.updated(tx, request, "recording_setting", accountId,
                    before, after).map(after))));
  }

  private static JsonObject setting(Row row) {
    return setting(row.getBoolean("enabled"), Times.format(row.getOffsetDateTime("updated_at")));
  }

  private static JsonObject setting(boolean enabled, String updatedAt) {
    return new JsonObject().put("recordingEnabled", enabled).put("updatedAt", updatedAt);
  }

  /** The audio of the call, unscoped: the call id is the key. 404 unless it is stored. */
  Future<CallsApi.Recording> audio(JsonObject request) {
    return pool.preparedQuery("SELECT content_type, audio FROM call_recordings WHERE call_id = $1")
        .execute(Tuple.of(request.getString("callId")))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new ApiError(404, "No recording for this call: it does not exist, has not "
                + "ended, or was not recorded (recording is off for its account)");
          }
          Row row = rows.iterator().next();
          return new CallsApi.Recording(row.getString("content_type"), row.getBuffer("audio"));
        });
  }

  /**
   * A verified provider call object about our call: notes the URL of its recording, when it
   * names one and the call is to be recorded, and fetches it if no fetch is due or running.
   */
  Future<Void> offered(String callId, JsonObject providerCall) {
    String url = providerCall == null ? null : providerCall.getString("recording_url");
    if (url == null || url.isBlank()) {
      return Future.succeededFuture();
    }
    // a later call object may carry a fresh (re-signed) URL: the newest is kept
    return pool.preparedQuery("UPDATE calls SET recording_source_url = $2 WHERE id = $1 "
            + "AND recording_enabled AND NOT recording_available")
        .execute(Tuple.of(callId, url))
        .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture() : fetch(callId));
  }

  /** Fetches the recordings whose fetch is due (first attempts skipped, retries), a batch. */
  Future<Void> retryDue(int batchSize) {
    return pool.preparedQuery("SELECT id FROM calls WHERE recording_enabled "
            + "AND NOT recording_available AND recording_source_url IS NOT NULL "
            + "AND recording_attempts < $1 AND (recording_fetch_at IS NULL "
            + "OR recording_fetch_at <= now()) ORDER BY recording_fetch_at NULLS FIRST LIMIT $2")
        .execute(Tuple.of(settings.maxAttempts(), batchSize))
        .compose(rows -> {
          List<String> due = new ArrayList<>();
          rows.forEach(row -> due.add(row.getString("id")));
          Future<Void> chain = Future.succeededFuture();
          for (String id : due) {
            chain = chain.compose(v -> fetch(id));
          }
          return chain;
        });
  }

  /** Claims the call's fetch and runs it, unless this node is busy or the fetch is not due. */
  private Future<Void> fetch(String callId) {
    if (fetching.incrementAndGet() > settings.concurrentFetches()) {
      fetching.decrementAndGet();
      return Future.succeededFuture();
    }
    return claim(callId).compose(url -> url == null ? Future.succeededFuture()
            : download.fetch(url).compose(audio -> store(callId, audio),
                failure -> failed(callId, failure)))
        .onComplete(done -> fetching.decrementAndGet())
        .recover(e -> {
          LOG.warn("could not fetch the recording of call {}: {}", callId, e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** The URL to fetch, now that this node holds the fetch; null when it is not due. */
  private Future<String> claim(String callId) {
    // held for twice the fetch's time-out: a node dying mid-fetch leaves it due again after that
    return pool.preparedQuery("UPDATE calls SET recording_attempts = recording_attempts + 1, "
            + "recording_fetch_at = now() + $3 * interval '1 millisecond' WHERE id = $1 "
            + "AND recording_enabled AND NOT recording_available "
            + "AND recording_source_url IS NOT NULL AND recording_attempts < $2 "
            + "AND (recording_fetch_at IS NULL OR recording_fetch_at <= now()) "
            + "RETURNING recording_source_url")
        .execute(Tuple.of(callId, settings.maxAttempts(), 2 * settings.fetchTimeoutMillis()))
        .map(rows -> rows.size() == 0 ? null
            : rows.iterator().next().getString("recording_source_url"));
  }

  private Future<Void> store(String callId, CallsApi.Recording audio) {
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO call_recordings (call_id, "
                + "content_type, size_bytes, audio) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (call_id) DO NOTHING")
            .execute(Tuple.of(callId, audio.contentType(), audio.audio().length(), audio.audio()))
            .compose(v -> tx.preparedQuery("UPDATE calls SET recording_available = true, "
                    + "recording_fetch_at = NULL WHERE id = $1")
                .execute(Tuple.of(callId))))
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("stored the recording of call {} ({} bytes, {})", callId,
            audio.audio().length(), audio.contentType()));
  }

  /** A failure that cannot heal gives up at once; any other waits longer after each attempt. */
  private Future<Void> failed(String callId, Throwable failure) {
    boolean permanent = failure instanceof RecordingDownload.Unusable;
    LOG.warn("fetching the recording of call {} failed{}: {}", callId,
        permanent ? " for good" : "", failure.getMessage());
    return pool.preparedQuery(permanent
                ? "UPDATE calls SET recording_attempts = $2, recording_fetch_at = NULL WHERE id = $1"
                : "UPDATE calls SET recording_fetch_at = now() + recording_attempts * $3 "
                    + "* interval '1 millisecond' WHERE id = $1 AND recording_attempts < $2")
        .execute(permanent ? Tuple.of(callId, settings.maxAttempts())
            : Tuple.of(callId, settings.maxAttempts(), settings.retryDelayMillis()))
        .mapEmpty();
  }
}

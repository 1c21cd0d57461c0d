package dev.agentphone.sandbox;

import dev.agentphone.http.Responses;
import dev.agentphone.platform.Routes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * The simulated Retell's recording storage: {@code GET /sandbox/retell/recordings/{call_id}},
 * the {@code recording_url} of an ended simulated call. Like a storage URL it takes no API key
 * (the call id, 128 random bits, is the key; the sandbox gate keeps it to loopback). The WAV
 * file is made when asked for ({@link SandboxRecorder}), from the transcript the simulated Retell
 * keeps with the call, so calls whose recording nobody fetches cost nothing.
 */
final class SandboxRecordingRoutes implements Routes {
  static final String PATH = "/sandbox/retell/recordings";

  private final Pool pool;
  private final SandboxRecorder recorder;

  SandboxRecordingRoutes(Pool pool, SandboxRecorder recorder) {
    this.pool = pool;
    this.recorder = recorder;
  }

  @Override
  public void mountPublic(Router root) {
    // before the simulated REST API's router, which wants Retell's API key
    root.get(PATH + "/:call_id").handler(this::recording);
  }

  private void recording(RoutingContext ctx) {
    SandboxRetellRoutes.get(pool, "call", ctx.pathParam("call_id"))
        .compose(call -> {
          if (call == null || call.getString("recording_url") == null) {
            return Future.<byte[]>succeededFuture(null);
          }
          return recorder.record(SandboxRecorder.turns(call.getJsonArray("transcript_object")));
        })
        .onSuccess(wav -> {
          if (wav == null) {
            Responses.json(ctx, 404, new JsonObject().put("status", "error")
                .put("message", "No recording for this call"));
          } else {
            ctx.response().putHeader("Content-Type", "audio/wav").end(Buffer.buffer(wav));
          }
        })
        .onFailure(e -> Responses.json(ctx, 500, new JsonObject().put("status", "error")
            .put("message", "sandbox failure")));
  }
}

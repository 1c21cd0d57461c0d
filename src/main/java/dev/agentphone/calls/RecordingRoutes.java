package dev.agentphone.calls;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

/**
 * Call recordings over HTTP. {@code GET /v1/calls/{call_id}/recording} is public: the official
 * client sends no key for it, and the call id, 80 random bits, is the key. It is mounted on the
 * root router, ahead of the authenticated {@code /v1} routes, at that same path. Turning
 * recording on and off keeps the provider's path: {@code POST /v1/credits/recording/enable}
 * (and {@code …/disable}); {@code GET /v1/credits/recording} reads the setting.
 */
final class RecordingRoutes implements Routes {
  private final CallsApi calls;

  RecordingRoutes(CallsApi calls) {
    this.calls = calls;
  }

  @Override
  public void mountPublic(Router root) {
    root.get("/v1/calls/:call_id/recording").handler(ctx -> {
      String callId = ctx.pathParam("call_id");
      calls.recording(callId).onComplete(found -> {
        if (found.failed()) {
          Responses.error(ctx, found.cause());
          return;
        }
        CallsApi.Recording recording = found.result();
        String extension = "audio/mpeg".equals(recording.contentType()) ? "mp3" : "wav";
        ctx.response()
            .putHeader("Content-Type", recording.contentType())
            .putHeader("Content-Disposition",
                "attachment; filename=\"recording-" + callId + "." + extension + "\"")
            // the URL is the key: no cache beyond the client's, and no referrer carrying it on
            .putHeader("Cache-Control", "private, max-age=3600")
            .putHeader("Referrer-Policy", "no-referrer")
            .putHeader("X-Content-Type-Options", "nosniff")
            .end(recording.audio());
      });
    });
  }

  @Override
  public void mountApi(Router api) {
    api.get("/credits/recording").handler(ctx ->
        Responses.answer(ctx, calls.recordingSetting(Caller.accountOf(ctx))));
    api.post("/credits/recording/enable").handler(ctx ->
        Responses.answer(ctx, calls.setRecording(Caller.accountOf(ctx), true)));
    api.post("/credits/recording/disable").handler(ctx ->
        Responses.answer(ctx, calls.setRecording(Caller.accountOf(ctx), false)));
  }
}

package dev.agentphone.sandbox;

import dev.agentphone.platform.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The recording of a simulated call: a real WAV file of its turns, made on the spot. With
 * espeak-ng installed ({@code sandbox.recording.espeakCommand}) the turns are spoken, the caller
 * in a lower voice than the agent; without it (or when it fails) each turn is a tone as long as
 * its words would take, 440 Hz for the agent and 660 Hz for the caller. Turns are separated by
 * silence. espeak-ng runs on a worker thread, each turn within
 * {@code sandbox.recording.synthesisTimeoutMillis}.
 */
final class SandboxRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxRecorder.class);
  static final int TONE_RATE = 22_050;
  static final int AGENT_HERTZ = 440;
  static final int CALLER_HERTZ = 660;
  static final int GAP_MILLIS = 350;
  private static final int MAX_TURNS = 200;
  private static final int MAX_TURN_CHARS = 1_000;
  private static final int MAX_SPEECH_BYTES = 20 << 20;

  private final Vertx vertx;
  private final String espeak;
  private final long timeoutMillis;
  private volatile boolean espeakMissing;

  /** One utterance: the agent's or the caller's. */
  record Turn(boolean agent, String text) {
  }

  SandboxRecorder(Vertx vertx, AppConfig config) {
    this.vertx = vertx;
    String command = config.optionalString("sandbox.recording.espeakCommand");
    this.espeak = command == null || command.isBlank() ? null : command.trim();
    this.timeoutMillis = config.longValue("sandbox.recording.synthesisTimeoutMillis");
  }

  /** The turns of a Retell {@code transcript_object}. */
  static List<Turn> turns(JsonArray transcript) {
    List<Turn> turns = new ArrayList<>();
    if (transcript == null) {
      return turns;
    }
    for (int i = 0; i < transcript.size() && turns.size() < MAX_TURNS; i++) {
      if (transcript.getValue(i) instanceof JsonObject utterance) {
        String text = utterance.getString("content", "").trim();
        if (!text.isEmpty()) {
          turns.add(new Turn(!"user".equals(utterance.getString("role")),
              text.length() > MAX_TURN_CHARS ? text.substring(0, MAX_TURN_CHARS) : text));
        }
      }
    }
    return turns;
  }

  /** The WAV file of the turns. */
  Future<byte[]> record(List<Turn> turns) {
    if (espeak == null || espeakMissing) {
      return Future.succeededFuture(tones(turns));
    }
    return vertx.executeBlocking(() -> {
      byte[] spoken = speech(turns);
      return spoken != null ? spoken : tones(turns);
    }, false);
  }

  /** The turns as tones and silence. */
  static byte[] tones(List<Turn> turns) {
    List<byte[]> pieces = new ArrayList<>();
    pieces.add(Wav.silence(TONE_RATE, GAP_MILLIS));
    for (Turn turn : turns) {
      int words = turn.text().split("\\s+").length;
      int millis = Math.max(300, Math.min(3_000, 120 * words));
      pieces.add(Wav.tone(TONE_RATE, turn.agent() ? AGENT_HERTZ : CALLER_HERTZ, millis));
      pieces.add(Wav.silence(TONE_RATE, GAP_MILLIS));
    }
    return Wav.write(new Wav.Pcm(TONE_RATE, Wav.join(pieces)), "AgentPhone sandbox (tones)");
  }

  /** The turns spoken by espeak-ng; null when it is not there or does not do its job. */
  private byte[] speech(List<Turn> turns) {
    List<byte[]> pieces = new ArrayList<>();
    int rate = -1;
    for (Turn turn : turns) {
      Wav.Pcm pcm = speak(turn);
      if (pcm == null || rate > 0 && pcm.sampleRate() != rate) {
        return null;
      }
      if (rate < 0) {
        rate = pcm.sampleRate();
        pieces.add(Wav.silence(rate, GAP_MILLIS));
      }
      pieces.add(pcm.samples());
      pieces.add(Wav.silence(rate, GAP_MILLIS));
    }
    if (rate < 0) {
      return null;
    }
    return Wav.write(new Wav.Pcm(rate, Wav.join(pieces)), "AgentPhone sandbox (espeak-ng)");
  }

  /** One turn through espeak-ng, text on its standard input (never read as an option). */
  private Wav.Pcm speak(Turn turn) {
    ProcessBuilder builder = new ProcessBuilder(espeak, "--stdout", "-v", "en-us",
        "-p", turn.agent() ? "60" : "30", "-s", "165")
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      espeakMissing = true;
      LOG.info("{} is not available ({}): simulated calls are recorded as tones", espeak,
          e.getMessage());
      return null;
    }
    long watchdog = vertx.setTimer(timeoutMillis, t -> process.destroyForcibly());
    try (OutputStream in = process.getOutputStream(); InputStream out = process.getInputStream()) {
      in.write(turn.text().getBytes(StandardCharsets.UTF_8));
      in.close();
      byte[] wav = out.readNBytes(MAX_SPEECH_BYTES);
      if (process.waitFor() != 0) {
        return null;
      }
      return Wav.read(wav);
    } catch (IOException e) {
      LOG.warn("{} failed: {}", espeak, e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      vertx.cancelTimer(watchdog);
      process.destroyForcibly();
    }
  }
}

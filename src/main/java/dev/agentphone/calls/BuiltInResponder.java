package dev.agentphone.calls;

import java.util.Locale;

/**
 * The deterministic stand-in for a language model where none is available (sandbox hosted mode,
 * per-call prompts in the sandbox): the same utterance always gets the same answer, so simulated
 * calls and their tests are repeatable.
 */
public final class BuiltInResponder {
  private BuiltInResponder() {
  }

  /** A reply to what the caller said; {@link Reply#hangup} when the caller says goodbye. */
  public record Reply(String text, boolean hangup) {
  }

  public static Reply reply(String utterance) {
    String said = utterance == null ? "" : utterance.trim();
    String lower = said.toLowerCase(Locale.ROOT);
    if (lower.matches(".*\\b(bye|goodbye)\\b.*")) {
      return new Reply("Thanks for calling. Goodbye!", true);
    }
    if (said.isEmpty()) {
      return new Reply("Are you still there?", false);
    }
    if (lower.matches(".*\\b(hello|hi|hey)\\b.*")) {
      return new Reply("Hello! How can I help you today?", false);
    }
    return new Reply("You said: " + said + ". How else can I help?", false);
  }
}

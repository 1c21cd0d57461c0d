package dev.agentphone.calls;

import java.util.List;
import java.util.Locale;

/**
 * Call screeners (the assistants that answer a phone and ask who is calling and why, before the
 * person decides to pick up) and the agent's answer to them: "{identity} calling about
 * {purpose}." The identity and purpose come from the call when it sets them, else its agent.
 */
public final class CallScreening {
  /** What screeners say when they ask; matched case-insensitively anywhere in an utterance. */
  private static final List<String> QUESTIONS = List.of("screening", "screened",
      "name and reason for calling", "name and why you're calling",
      "name and why you are calling", "who is calling", "who's calling",
      "reason for your call", "what are you calling about", "what is this call about");

  private CallScreening() {
  }

  /** True when {@code utterance} is a screener asking who is calling and why. */
  public static boolean asks(String utterance) {
    if (utterance == null) {
      return false;
    }
    String lower = utterance.toLowerCase(Locale.ROOT).replace('’', '\'');
    return QUESTIONS.stream().anyMatch(lower::contains);
  }

  /** The answer; null when neither an identity nor a purpose is set. */
  public static String answer(String identity, String purpose) {
    boolean hasIdentity = identity != null && !identity.isBlank();
    boolean hasPurpose = purpose != null && !purpose.isBlank();
    if (!hasIdentity && !hasPurpose) {
      return null;
    }
    String who = hasIdentity ? identity.strip() : "I'm";
    return hasPurpose ? who + " calling about " + purpose.strip() + "." : who + " calling.";
  }
}

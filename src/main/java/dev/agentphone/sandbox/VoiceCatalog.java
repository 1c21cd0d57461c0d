package dev.agentphone.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The voices offered when no voice provider is connected (sandbox mode), in Retell's shape. */
final class VoiceCatalog {
  private VoiceCatalog() {
  }

  static JsonArray sandboxVoices() {
    JsonArray voices = new JsonArray();
    voice(voices, "11labs-Adrian", "Adrian", "elevenlabs", "male", "American", "Young");
    voice(voices, "11labs-Myra", "Myra", "elevenlabs", "female", "American", "Young");
    voice(voices, "11labs-Anthony", "Anthony", "elevenlabs", "male", "British", "Middle Aged");
    voice(voices, "11labs-Lily", "Lily", "elevenlabs", "female", "British", "Middle Aged");
    voice(voices, "openai-Alloy", "Alloy", "openai", "female", "American", "Young");
    voice(voices, "openai-Onyx", "Onyx", "openai", "male", "American", "Middle Aged");
    voice(voices, "deepgram-Angus", "Angus", "deepgram", "male", "Irish", "Young");
    voice(voices, "cartesia-Cleo", "Cleo", "cartesia", "female", "American", "Young");
    return voices;
  }

  private static void voice(JsonArray voices, String id, String name, String provider,
      String gender, String accent, String age) {
    voices.add(new JsonObject()
        .put("voice_id", id)
        .put("voice_name", name)
        .put("provider", provider)
        .put("gender", gender)
        .put("accent", accent)
        .put("age", age)
        .put("preview_audio_url", null));
  }
}

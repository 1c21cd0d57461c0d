package dev.agentphone.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Agents: list_agents, create_agent, update_agent, delete_agent, get_agent, attach_number,
 * detach_number, list_voices.
 */
final class AgentTools {
  /** The agent settings a tool takes (snake case) and the API's names for them. */
  private static final String[] SETTINGS = {
      "name", "name", "description", "description", "voice_mode", "voiceMode",
      "system_prompt", "systemPrompt", "begin_message", "beginMessage", "voice", "voice",
      "model_tier", "modelTier", "transfer_number", "transferNumber",
      "voicemail_message", "voicemailMessage", "voice_speed", "voiceSpeed",
      "interruption_sensitivity", "interruptionSensitivity",
      "enable_backchannel", "enableBackchannel", "enable_messaging", "enableMessaging",
      "stt_mode", "sttMode", "ambient_sound", "ambientSound", "denoising_mode", "denoisingMode",
      "max_silence_ms", "maxSilenceMs", "language", "language"};

  private AgentTools() {
  }

  static void register(Map<String, Tool> tools) {
    tools.put("list_agents", (args, api) ->
        api.get("/v1/agents?limit=" + args.text("limit") + "&offset=0").map(Js::pretty));
    tools.put("create_agent", (args, api) -> save(args, api, true));
    tools.put("update_agent", (args, api) -> save(args, api, false));
    tools.put("delete_agent", (args, api) -> api.delete(agent(args))
        .map(result -> "Deleted agent '" + Js.text(result, "name") + "' ("
            + Js.text(result, "id") + ")"));
    tools.put("get_agent", (args, api) -> api.get(agent(args)).map(Js::pretty));
    tools.put("attach_number", (args, api) -> api.post(agent(args) + "/numbers",
            new JsonObject().put("numberId", args.string("number_id")))
        .map(result -> "Attached number " + Js.text(result, "number", "phoneNumber")
            + " to agent " + Js.text(result, "agentId")));
    tools.put("detach_number", (args, api) -> api.delete(agent(args) + "/numbers/"
            + args.encoded("number_id"))
        .map(result -> "Detached number " + args.string("number_id") + " from agent "
            + args.string("agent_id")));
    tools.put("list_voices", AgentTools::listVoices);
  }

  private static String agent(Arguments args) {
    return "/v1/agents/" + args.encoded("agent_id");
  }

  /** create_agent ({@code POST /v1/agents}) or update_agent (PATCH, only the given fields). */
  private static Future<String> save(Arguments args, LoopbackApi.Caller api, boolean create) {
    String transfer = args.string("transfer_number");
    if (!NumberTools.empty(transfer) && !NumberTools.e164(transfer)) {
      return Tool.refuse(NumberTools.E164_PROBLEM);
    }
    JsonObject body = args.body(SETTINGS);
    return (create ? api.post("/v1/agents", body) : api.patch(agent(args), body))
        .map(result -> (create ? "Agent created!" : "Agent updated!")
            + "\n  ID: " + Js.text(result, "id")
            + "\n  Name: " + Js.text(result, "name")
            + "\n  Voice Mode: " + Js.text(result, "voiceMode")
            + "\n  Voice: " + Js.text(result, "voice")
            + "\n  Model Tier: " + Js.text(result, "modelTier")
            + "\n\n" + Js.pretty(result));
  }

  private static Future<String> listVoices(Arguments args, LoopbackApi.Caller api) {
    return api.get("/v1/agents/voices").map(result -> {
      JsonArray data = Js.array(Js.get(result, "data"));
      if (data.isEmpty()) {
        return "No voices available.";
      }
      List<String> lines = new ArrayList<>();
      for (Object voice : data) {
        lines.add(Js.text(voice, "voice_id") + " — " + Js.text(voice, "voice_name") + " ("
            + Js.text(voice, "provider") + ", " + Js.text(voice, "gender") + ", "
            + Js.text(voice, "accent") + ")");
      }
      return data.size() + " voice(s) available:\n\n" + String.join("\n", lines);
    });
  }
}

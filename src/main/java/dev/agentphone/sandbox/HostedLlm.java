package dev.agentphone.sandbox;

import dev.agentphone.calls.BuiltInResponder;
import dev.agentphone.calls.CallScreening;
import dev.agentphone.providers.retell.RetellSignature;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulated Retell LLM of a hosted agent, standing in for a language model offline: it
 * answers with the {@link BuiltInResponder}, and does with the LLM's {@code general_tools} what
 * Retell does with custom functions. When the caller names a tool it speaks the tool's
 * {@code execution_message_description} (when {@code speak_during_execution} is set), POSTs
 * Retell's signed {@code {call, name, args}} to the tool's URL (the engine's tool endpoint, which
 * runs the tool) and speaks what came back. A call screener is answered from the agent's
 * {@code call_screening_option}, as Retell's prompt would have the model do.
 */
final class HostedLlm {
  private final HttpClient http;
  private final String apiKey;

  /** An answer: what the agent said (one or more utterances) and the tools it called. */
  record Answer(List<String> said, boolean hangup, JsonArray toolCalls) {
    String text() {
      return String.join(" ", said);
    }
  }

  HostedLlm(HttpClient http, String apiKey) {
    this.http = http;
    this.apiKey = apiKey;
  }

  /** The agent's answer to {@code utterance}, added to the call's transcript as it is spoken. */
  Future<Answer> answer(SimulatedCall sim, String utterance) {
    if (CallScreening.asks(utterance)) {
      String screened = screening(sim.agent);
      if (screened != null) {
        sim.agentSays(screened);
        return Future.succeededFuture(new Answer(List.of(screened), false, new JsonArray()));
      }
    }
    JsonArray tools = sim.llm == null ? null : sim.llm.getJsonArray("general_tools");
    BuiltInResponder.ToolChoice choice = BuiltInResponder.toolFor(utterance, tools);
    if (choice == null) {
      BuiltInResponder.Reply reply = BuiltInResponder.reply(utterance);
      sim.agentSays(reply.text());
      return Future.succeededFuture(new Answer(List.of(reply.text()), reply.hangup(),
          new JsonArray()));
    }
    JsonObject tool = tools.stream().map(JsonObject.class::cast)
        .filter(t -> choice.name().equals(t.getString("name"))).findFirst().orElseThrow();
    List<String> said = new ArrayList<>();
    String during = tool.getString("execution_message_description");
    if (Boolean.TRUE.equals(tool.getValue("speak_during_execution")) && during != null) {
      // spoken while the tool runs: the caller hears it before the answer exists
      said.add(during);
      sim.agentSays(during);
    }
    return call(sim, tool, choice.args()).map(body -> {
      String spoken = BuiltInResponder.aboutResult(body);
      said.add(spoken);
      sim.agentSays(spoken);
      return new Answer(said, false, new JsonArray().add(new JsonObject()
          .put("name", choice.name()).put("args", choice.args()).put("result", body)));
    });
  }

  /** "{identity} calling about {purpose}." from the agent's call screening option, or null. */
  static String screening(JsonObject agent) {
    JsonObject option = agent.getJsonObject("call_screening_option");
    return option == null ? null : CallScreening.answer(option.getString("agent_identity"),
        option.getString("call_purpose"));
  }

  /** Retell's custom-function request; answers the response body (an error as JSON). */
  private Future<String> call(SimulatedCall sim, JsonObject tool, JsonObject args) {
    JsonObject call = sim.call.copy().put("transcript_object", sim.transcript.copy());
    String body = new JsonObject().put("call", call).put("name", tool.getString("name"))
        .put("args", args).encode();
    long timeout = tool.getLong("timeout_ms", 120_000L);
    return http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(tool.getString("url")).setIdleTimeout(timeout)
            .putHeader("Content-Type", "application/json")
            .putHeader(RetellSignature.HEADER,
                RetellSignature.sign(apiKey, body, System.currentTimeMillis())))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(answer -> response.statusCode() / 100 == 2
            ? answer.toString()
            : new JsonObject().put("error", "the tool endpoint answered HTTP "
                + response.statusCode()).encode()))
        .recover(e -> Future.succeededFuture(new JsonObject().put("error",
            "the tool endpoint could not be reached").encode()));
  }
}

package dev.agentphone.calls;

import io.vertx.core.json.JsonObject;

import java.util.function.IntPredicate;

/**
 * A turn answered by the {@link BuiltInResponder} on the call's LLM socket (a per-call prompt):
 * a plain reply, or, when the caller names one of the agent's tools, the tool run by the engine
 * ({@link ToolCalls}). While it runs the tool's {@code executionMessage} is spoken (when
 * {@code speakDuringExecution} is set) as the first, incomplete part of the response; what the
 * tool answered completes it.
 */
final class BuiltInTurns {
  private final ToolCalls tools;
  private final CallParties parties;
  private final LiveFeed feed;

  BuiltInTurns(ToolCalls tools, CallParties parties, LiveFeed feed) {
    this.tools = tools;
    this.parties = parties;
    this.feed = feed;
  }

  void answer(int responseId, int agentSeq, String utterance, JsonObject agent,
      IntPredicate current, WebhookAnswers.Sink sink) {
    BuiltInResponder.ToolChoice choice = BuiltInResponder.toolFor(utterance,
        ToolCalls.described(agent, true));
    if (choice == null) {
      BuiltInResponder.Reply reply = BuiltInResponder.reply(utterance);
      sink.send(reply.hangup() ? RetellFrames.hangUp(responseId, reply.text())
          : RetellFrames.response(responseId, reply.text(), true));
      sink.said(agentSeq, reply.text());
      return;
    }
    JsonObject tool = ToolCalls.custom(agent, choice.name());
    String during = tool != null && Boolean.TRUE.equals(tool.getValue("speakDuringExecution"))
        ? tool.getString("executionMessage") : null;
    String first = during == null || during.isBlank() ? "" : during.strip() + " ";
    if (!first.isEmpty()) {
      sink.send(RetellFrames.response(responseId, first, false));
    }
    tools.run(parties, agent, choice.name(), choice.args()).onComplete(done -> {
      feed.publish("tool_call", new JsonObject().put("name", choice.name())
          .put("arguments", choice.args()).put("ok", done.succeeded() && done.result().ok()));
      if (!current.test(responseId)) {
        return;
      }
      String spoken = done.succeeded() ? done.result().spoken()
          : "Sorry, I could not do that.";
      sink.send(RetellFrames.response(responseId, spoken, true));
      sink.said(agentSeq, first + spoken);
    });
  }
}

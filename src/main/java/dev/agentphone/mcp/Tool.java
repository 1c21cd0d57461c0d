package dev.agentphone.mcp;

import io.vertx.core.Future;

/**
 * What one MCP tool does: it reads its arguments, calls the REST API as the caller, and answers
 * the text the assistant reads. A failed future is the tool's error (see {@link ToolErrors}).
 */
@FunctionalInterface
interface Tool {
  Future<String> call(Arguments arguments, LoopbackApi.Caller api);

  /** A tool that refuses its arguments before calling anything, with this text. */
  static Future<String> refuse(String message) {
    return Future.failedFuture(new Refused(message));
  }

  /** Arguments a tool refuses itself (the official server's client-side checks). */
  final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }
}

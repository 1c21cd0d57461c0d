package dev.agentphone.mcp;

/**
 * The text of a failed tool, worded as the official MCP server words it: the API's
 * {@code detail} and a hint at what to do next.
 */
final class ToolErrors {
  private ToolErrors() {
  }

  static String text(Throwable failure) {
    if (failure instanceof LoopbackApi.ApiFailure api) {
      return api.detail + hint(api);
    }
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }

  private static String hint(LoopbackApi.ApiFailure failure) {
    String path = failure.path;
    return switch (failure.status) {
      case 0 -> " Request timed out — retry, or pass a longer timeout if the tool supports one.";
      case 401 -> " Check your AGENTPHONE_API_KEY.";
      case 404 -> path.contains("/agents/") ? " Use list_agents to see valid agent IDs."
          : path.contains("/numbers/") ? " Use list_numbers to see valid number IDs."
          : path.contains("/calls/") ? " Use list_calls to see recent call IDs."
          : path.contains("/conversations/")
              ? " Use list_conversations to see valid conversation IDs."
          : path.contains("/webhook")
              ? " Use get_webhook to check whether a webhook is configured." : "";
      case 429 -> " Rate limited — wait a moment and try again.";
      default -> "";
    };
  }
}

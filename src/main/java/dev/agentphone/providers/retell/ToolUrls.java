package dev.agentphone.providers.retell;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The URL Retell is given for each tool of a hosted agent's LLM:
 * {@code {public url}/webhooks/retell/tools/{agent id}/{secret}/{tool name}}. Retell calls it
 * when the model invokes the tool, and the engine runs the tool itself (the customer's URL never
 * reaches Retell). The secret is an HMAC of the agent id under the key of the LLM socket URLs,
 * so only Retell, which holds the URL, can make an agent's tools run; each request must also
 * carry Retell's {@code X-Retell-Signature}.
 */
public final class ToolUrls {
  public static final String PATH = "/webhooks/retell/tools";

  private final LlmSocketUrls keys;

  ToolUrls(LlmSocketUrls keys) {
    this.keys = keys;
  }

  public String url(String publicUrl, String agentId, String toolName) {
    return publicUrl + PATH + "/" + agentId + "/" + secret(agentId) + "/"
        + URLEncoder.encode(toolName, StandardCharsets.UTF_8);
  }

  /** True when {@code presented} is the agent's tool secret; compared in constant time. */
  public boolean valid(String agentId, String presented) {
    if (agentId == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(secret(agentId).getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  private String secret(String agentId) {
    return keys.token("retell-tool:" + agentId);
  }
}

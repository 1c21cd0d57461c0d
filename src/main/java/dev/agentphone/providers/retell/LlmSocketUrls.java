package dev.agentphone.providers.retell;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.EngineSecrets;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The custom-LLM WebSocket URL Retell is given for each webhook-mode agent:
 * {@code {public ws url}/webhooks/retell/llm/{agent id}/{secret}}, to which Retell appends
 * {@code /{call id}}. The secret is an HMAC of the agent id under a server key, so only Retell,
 * which holds the URL, can open a socket for the agent's calls, and the engine needs no table of
 * secrets to check one. The key is {@code retell.llmSocketSecret}, else one generated once per
 * installation and kept in the database, which every node of a cluster reads. A new key makes
 * every registered URL invalid: Retell agents are re-pointed by clearing
 * {@code voice_agents.llm_socket_secured}, which the reconciler then works through.
 */
public final class LlmSocketUrls {
  public static final String PATH = "/webhooks/retell/llm";
  private static final Base64.Encoder TOKEN = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;

  LlmSocketUrls(byte[] key) {
    this.key = key.clone();
  }

  public static Future<LlmSocketUrls> load(AppConfig config, Pool pool) {
    String configured = config.optionalString("retell.llmSocketSecret");
    if (configured != null) {
      if (configured.length() < 32) {
        return Future.failedFuture(new IllegalStateException(
            "AGENTPHONE_LLM_SOCKET_SECRET must be at least 32 characters"));
      }
      return Future.succeededFuture(new LlmSocketUrls(
          configured.getBytes(StandardCharsets.UTF_8)));
    }
    // the first node to start writes it; every node, then and later, reads the one stored
    return EngineSecrets.generatedOnce(pool, "retell_llm_socket")
        .map(stored -> new LlmSocketUrls(HexFormat.of().parseHex(stored)));
  }

  /** What Retell is given as the agent's {@code llm_websocket_url}. */
  public String url(String publicUrl, String agentId) {
    return publicUrl.replaceFirst("^http", "ws") + PATH + "/" + agentId + "/" + secret(agentId);
  }

  /** True when {@code presented} is the agent's secret; compared in constant time. */
  public boolean valid(String agentId, String presented) {
    if (agentId == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(secret(agentId).getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The secret URLs of the engine's tool endpoint, under the same key. */
  public ToolUrls tools() {
    return new ToolUrls(this);
  }

  private String secret(String agentId) {
    return token("retell-llm-socket:" + agentId);
  }

  /** The URL-safe HMAC of {@code message} under the key; each use prefixes its own purpose. */
  String token(String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return TOKEN.encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

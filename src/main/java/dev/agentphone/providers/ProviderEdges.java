package dev.agentphone.providers;

/**
 * How the engine reaches providers outside it. In production that is the network; tests replace
 * the HTTP layer under the real Twilio SDK with a fake of Twilio's REST API.
 *
 * @param twilioHttp the HTTP client under the Twilio SDK, or null for the SDK's own network client
 */
public record ProviderEdges(com.twilio.http.HttpClient twilioHttp) {
  public static final ProviderEdges NETWORK = new ProviderEdges(null);
}

package dev.agentphone.sandbox;

import dev.agentphone.http.Responses;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.providers.twilio.TwilioSignatures;
import io.netty.util.NetUtil;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Keeps the sandbox to the machine it runs on. {@code /sandbox/*} (the outboxes, the simulators,
 * the simulated Retell) and the provider webhooks that are verified with a documented sandbox
 * secret answer loopback clients only, unless {@code sandbox.public}
 * ({@code AGENTPHONE_SANDBOX_PUBLIC=true}) opens them.
 *
 * <p>"Loopback client" means the TCP peer of the connection, never a forwarding header: behind a
 * reverse proxy every request comes from the proxy, so the sandbox is closed there unless the
 * proxy runs on the engine's own host and the operator wants it open to the proxy's clients too,
 * in which case {@code sandbox.public} says so explicitly. {@code X-Forwarded-For} is whatever a
 * client chose to send and is ignored.
 *
 * <p>Refused requests get 404, as in live mode where these paths do not exist: from outside, the
 * sandbox is simply not part of the service (the console reads 404 as "no sandbox here").
 */
public final class SandboxGate implements Routes {
  static final String DETAIL = "Not Found: the sandbox answers loopback clients only "
      + "(AGENTPHONE_SANDBOX_PUBLIC=true serves it to every client)";

  private final AppConfig config;

  public SandboxGate(AppConfig config) {
    this.config = config;
  }

  @Override
  public void mountPublic(Router root) {
    if (!config.sandbox() || config.bool("sandbox.public")) {
      return;
    }
    Handler<RoutingContext> loopbackOnly = SandboxGate::admitLoopback;
    root.route("/sandbox/*").handler(loopbackOnly);
    // Anyone may read a documented secret: only the engine's own simulators (on loopback) sign
    // with it, so nobody else may present it.
    if (TwilioSignatures.usesSandboxToken(config)) {
      root.route("/webhooks/twilio/*").handler(loopbackOnly);
    }
    if (RetellClient.usesSandbox(config)) {
      // the exact path: the LLM socket below it carries a secret of its own
      root.route("/webhooks/retell").handler(loopbackOnly);
    }
  }

  private static void admitLoopback(RoutingContext ctx) {
    if (isLoopback(ctx.request().connection().remoteAddress())) {
      ctx.next();
    } else {
      Responses.json(ctx, 404, new JsonObject().put("detail", DETAIL));
    }
  }

  /** True for a TCP peer in 127.0.0.0/8 or ::1 (also written as IPv4-mapped IPv6). */
  static boolean isLoopback(SocketAddress peer) {
    if (peer == null || !peer.isInetSocket() || peer.hostAddress() == null) {
      return false;
    }
    // parsed as an address literal, never looked up by name
    byte[] address = NetUtil.createByteArrayFromIpAddressString(peer.hostAddress());
    if (address == null) {
      return false;
    }
    try {
      return InetAddress.getByAddress(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

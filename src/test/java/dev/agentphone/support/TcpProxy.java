package dev.agentphone.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on a loopback port in front of another loopback port, to take a dependency away
 * from the engine and give it back: {@link #cut()} drops every open connection and stops
 * listening (new connections are refused, as for a stopped server); {@link #stall()} drops every
 * open connection and lets new ones connect but never answers them (a server that hangs);
 * {@link #restore()} serves again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final NetClient client = vertx.createNetClient();
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final int targetPort;
  private final int port;
  private volatile NetServer server;
  private volatile boolean stalled;

  public TcpProxy(int targetPort) {
    this.targetPort = targetPort;
    this.port = TestEngine.freePort();
    restore();
  }

  public int port() {
    return port;
  }

  /** {@code url} with its port replaced by this proxy's. */
  public String inFront(String url) {
    return url.replace(":" + targetPort + "/", ":" + port + "/");
  }

  public synchronized void restore() {
    if (stalled) {
      stalled = false;
      dropOpen();
    }
    if (server != null) {
      return;
    }
    NetServer started = vertx.createNetServer().connectHandler(this::relay);
    await(started.listen(port, "127.0.0.1"));
    server = started;
  }

  public synchronized void cut() {
    if (server != null) {
      await(server.close());
      server = null;
    }
    dropOpen();
  }

  public synchronized void stall() {
    stalled = true;
    dropOpen();
  }

  private void dropOpen() {
    open.forEach(NetSocket::close);
    open.clear();
  }

  private void relay(NetSocket inbound) {
    inbound.pause();
    open.add(inbound);
    if (stalled) {
      return;
    }
    client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
      if (connected.failed()) {
        inbound.close();
        return;
      }
      NetSocket outbound = connected.result();
      if (server == null || stalled) {
        // cut or stalled while this connection was being made
        outbound.close();
        inbound.close();
        return;
      }
      open.add(outbound);
      inbound.handler(outbound::write);
      outbound.handler(inbound::write);
      inbound.closeHandler(v -> outbound.close());
      outbound.closeHandler(v -> inbound.close());
      inbound.resume();
    });
  }

  private static void await(io.vertx.core.Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    cut();
    vertx.close();
  }
}

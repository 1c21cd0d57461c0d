package dev.agentphone.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server that takes every query and never answers, as a broken or black-holed name server
 * does: point the engine's {@code webhooks.dns.servers} at {@link #address()}.
 */
public final class SilentNameServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final AtomicInteger queries = new AtomicInteger();

  public SilentNameServer() {
    try {
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    } catch (SocketException e) {
      throw new IllegalStateException(e);
    }
    Thread swallower = new Thread(() -> {
      byte[] buffer = new byte[1500];
      while (!socket.isClosed()) {
        try {
          socket.receive(new DatagramPacket(buffer, buffer.length));
          queries.incrementAndGet();
        } catch (IOException closed) {
          return;
        }
      }
    }, "silent-name-server");
    swallower.setDaemon(true);
    swallower.start();
  }

  /** {@code 127.0.0.1:port}, the form {@code webhooks.dns.servers} takes. */
  public String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** Queries received so far. */
  public int queries() {
    return queries.get();
  }

  @Override
  public void close() {
    socket.close();
  }
}

package dev.agentphone.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A customer's web server at the network edge, on loopback: serves the files a test puts at a
 * path, with the status and content type it says, and counts the requests.
 */
public final class FileServer implements AutoCloseable {
  /** What a path answers. */
  public record File(int status, String contentType, byte[] body) {
  }

  private final Map<String, File> files = new ConcurrentHashMap<>();
  public final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;

  public FileServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      File file = files.getOrDefault(exchange.getRequestURI().getPath(),
          new File(404, "text/plain", "not found".getBytes()));
      exchange.getResponseHeaders().set("Content-Type", file.contentType());
      exchange.sendResponseHeaders(file.status(), file.body().length == 0 ? -1 : file.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(file.body());
      }
    });
    server.start();
  }

  /** Serves {@code body} at {@code path} with status 200. */
  public String put(String path, String contentType, byte[] body) {
    return put(path, new File(200, contentType, body));
  }

  public String put(String path, File file) {
    files.put(path, file);
    return url(path);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

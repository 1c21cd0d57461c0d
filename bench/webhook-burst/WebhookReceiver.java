import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A customer's webhook endpoint in its own process, for bench/webhook-burst.sh: verifies the
 * signature of every delivery as the docs tell customers to (HMAC-SHA256 of
 * "{X-Webhook-Timestamp}.{body}" keyed with the secret, against X-Webhook-Signature) and counts
 * per path. Control: POST /expect?path=P with the secret as body; GET /stats?path=P answers
 * {received, unique, bad, firstMs, lastMs}.
 *
 * <p>java -cp target/agentphone-engine.jar bench/webhook-burst/WebhookReceiver.java PORT [THREADS]
 */
public class WebhookReceiver {
  static final class Path {
    final String secret;
    final AtomicLong received = new AtomicLong();
    final AtomicLong bad = new AtomicLong();
    final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong last = new AtomicLong();
    final Set<String> ids = ConcurrentHashMap.newKeySet();

    Path(String secret) {
      this.secret = secret;
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Map<String, Path> paths = new ConcurrentHashMap<>();
    Vertx vertx = Vertx.vertx();
    for (int i = 0; i < threads; i++) {
      // each server is bound from its own event loop; they share the port
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true));
      server.requestHandler(request -> request.body().onSuccess(body -> {
        String path = request.path();
        if (path.equals("/expect")) {
          paths.put(request.getParam("path"), new Path(body.toString().trim()));
          request.response().end("ok");
          return;
        }
        if (path.equals("/stats")) {
          Path p = paths.get(request.getParam("path"));
          request.response().putHeader("Content-Type", "application/json").end(p == null ? "{}"
              : new JsonObject().put("received", p.received.get()).put("unique", p.ids.size())
                  .put("bad", p.bad.get()).put("firstMs", p.first.get())
                  .put("lastMs", p.last.get()).encode());
          return;
        }
        Path p = paths.get(path);
        if (p == null) {
          request.response().setStatusCode(404).end();
          return;
        }
        long now = System.currentTimeMillis();
        boolean good = verifies(p.secret, request.getHeader("X-Webhook-Timestamp"),
            body.getBytes(), request.getHeader("X-Webhook-Signature"));
        if (!good) {
          p.bad.incrementAndGet();
        }
        p.ids.add(String.valueOf(request.getHeader("X-Webhook-ID")));
        p.first.accumulateAndGet(now, Math::min);
        p.last.accumulateAndGet(now, Math::max);
        p.received.incrementAndGet();
        request.response().setStatusCode(good ? 200 : 401).end("ok");
      }));
      server.listen(port).toCompletionStage().toCompletableFuture().get();
    }
    System.out.println("listening on " + port);
  }

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  });

  static boolean verifies(String secret, String timestamp, byte[] body, String header) {
    if (timestamp == null || header == null) {
      return false;
    }
    try {
      Mac mac = MAC.get();
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
      for (String signature : header.split(",\\s*")) {
        if (java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
            signature.trim().getBytes(StandardCharsets.UTF_8))) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }
}

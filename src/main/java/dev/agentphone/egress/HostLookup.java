package dev.agentphone.egress;

import dev.agentphone.platform.AppConfig;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.internal.resolver.NameResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves the hosts of customer URLs without blocking anyone: Vert.x's non-blocking DNS resolver
 * (hosts file, then the configured or system name servers), bounded by a time-out. A name server
 * that never answers fails the lookup after {@code webhooks.dns.timeoutMillis} and pins no thread,
 * so one customer's broken DNS cannot hold up anybody else's deliveries or voice turns.
 *
 * <p>One per engine, built at start-up ({@link #from}) and handed to every {@link SsrfGuard}.
 */
public final class HostLookup {

  /** A lookup the name servers did not answer in time. */
  public static final class TimedOut extends UnknownHostException {
    TimedOut(String host, long millis) {
      super("DNS lookup of " + host + " did not answer within " + millis + " ms");
    }
  }

  private final NameResolver resolver;
  private final long timeoutMillis;

  /** {@code servers}: {@code host[:port]} name servers; null or empty means the system's. */
  public HostLookup(Vertx vertx, long timeoutMillis, List<String> servers) {
    this.timeoutMillis = timeoutMillis;
    AddressResolverOptions options = new AddressResolverOptions()
        .setQueryTimeout(timeoutMillis)
        // nothing remembered across lookups that failed: a fixed name server is used at once
        .setCacheNegativeTimeToLive(0);
    if (servers != null && !servers.isEmpty()) {
      options.setServers(servers);
    }
    this.resolver = new NameResolver(vertx, options);
  }

  /**
   * The lookup {@code webhooks.dns} describes: {@code timeoutMillis} and {@code servers} (a list
   * or comma-separated {@code host[:port]}; null means the system's).
   */
  public static HostLookup from(Vertx vertx, AppConfig config) {
    return new HostLookup(vertx, config.longValue("webhooks.dns.timeoutMillis"), servers(config));
  }

  /** Releases the resolver. */
  public void close() {
    resolver.close();
  }

  /** Every address of {@code host}; fails with {@link UnknownHostException} (or {@link TimedOut}). */
  Future<List<InetAddress>> all(String host) {
    InetAddress literal = NumericHost.parse(host);
    if (literal != null) {
      return Future.succeededFuture(List.of(literal));
    }
    Promise<List<InetAddress>> found = Promise.promise();
    resolver.resolveAll(host, done -> {
      if (done.failed()) {
        found.tryFail(done.cause());
      } else if (done.result().isEmpty()) {
        found.tryFail(new UnknownHostException(host));
      } else {
        found.tryComplete(done.result().stream().map(InetSocketAddress::getAddress).toList());
      }
    });
    // the resolver's own time-out is per query and it may ask several servers: bound the whole
    return found.future().timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(failure -> Future.failedFuture(timedOut(failure)
            ? new TimedOut(host, timeoutMillis) : failure));
  }

  /** Our bound passed, or the resolver gave up on a name server that did not answer. */
  private static boolean timedOut(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof DnsNameResolverTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static List<String> servers(AppConfig config) {
    Object value = config.raw("webhooks.dns.servers");
    if (value instanceof io.vertx.core.json.JsonArray array) {
      return array.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty())
          .toList();
    }
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    return Arrays.stream(value.toString().split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
  }
}

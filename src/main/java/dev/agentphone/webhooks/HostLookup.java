package dev.agentphone.webhooks;

import dev.agentphone.platform.AppConfig;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.internal.resolver.NameResolver;
import io.vertx.core.shareddata.Shareable;

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
 * <p>One per Vert.x instance, installed by the engine ({@link #install}); a Vert.x without one
 * gets the defaults.
 */
public final class HostLookup implements Shareable {
  static final long DEFAULT_TIMEOUT_MILLIS = 2_000;
  private static final String MAP = "agentphone.host-lookup";

  /** A lookup the name servers did not answer in time. */
  public static final class TimedOut extends UnknownHostException {
    TimedOut(String host, long millis) {
      super("DNS lookup of " + host + " did not answer within " + millis + " ms");
    }
  }

  private final NameResolver resolver;
  private final long timeoutMillis;

  private HostLookup(Vertx vertx, long timeoutMillis, List<String> servers) {
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
   * Sets this Vert.x instance's lookup from {@code webhooks.dns}: {@code timeoutMillis} (2000) and
   * {@code servers} (a list or comma-separated {@code host[:port]}; null means the system's).
   */
  public static void install(Vertx vertx, AppConfig config) {
    long timeout = config.longValue("webhooks.dns.timeoutMillis", DEFAULT_TIMEOUT_MILLIS);
    HostLookup lookup = new HostLookup(vertx, timeout, servers(config));
    HostLookup previous = vertx.sharedData().<String, HostLookup>getLocalMap(MAP)
        .put(MAP, lookup);
    if (previous != null) {
      previous.resolver.close();
    }
  }

  static HostLookup of(Vertx vertx) {
    return vertx.sharedData().<String, HostLookup>getLocalMap(MAP).computeIfAbsent(MAP,
        key -> new HostLookup(vertx, DEFAULT_TIMEOUT_MILLIS, null));
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
    Object value = config.object("webhooks.dns").getValue("servers");
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

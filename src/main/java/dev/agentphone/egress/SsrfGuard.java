package dev.agentphone.egress;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Keeps requests to customer URLs away from our own network: a URL whose host is, or resolves
 * to, a loopback, private, link-local, CGNAT, multicast, reserved or unspecified address (IPv4 or
 * IPv6, IPv4-mapped and NAT64 forms included) is refused unless private targets are allowed.
 *
 * <p>One per engine, built at start-up with its {@link HostLookup} and whether private targets
 * are allowed ({@code webhooks.allowPrivateTargets}). Use {@link #resolve} right before
 * connecting and connect through the returned {@link Target}:
 * it connects to the very address that was checked (the URL's host stays the Host header and TLS
 * server name), so a DNS answer that changes between check and connect cannot slip through.
 */
public final class SsrfGuard {
  private final HostLookup lookup;
  private final boolean allowPrivate;

  public SsrfGuard(HostLookup lookup, boolean allowPrivate) {
    this.lookup = lookup;
    this.allowPrivate = allowPrivate;
  }

  /** Whether URLs may reach private addresses (sandbox mode allows it unless configured). */
  public boolean allowsPrivateTargets() {
    return allowPrivate;
  }

  /** A refused target; the message says why and is safe to show the customer. */
  public static final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Where to connect for a checked URL. */
  public record Target(URI uri, boolean ssl, String host, int port, String requestUri,
      String connectHost) {

    /** A web-client request to the checked address, with the URL's host as virtual host. */
    public HttpRequest<Buffer> request(WebClient client, HttpMethod method) {
      HttpRequest<Buffer> request = client.request(method, port, connectHost, requestUri)
          .ssl(ssl)
          .followRedirects(false);
      if (!connectHost.equals(host)) {
        request.virtualHost(host);
      }
      return request;
    }

    /** The same for the core HTTP client (streaming responses). */
    public RequestOptions requestOptions(HttpMethod method) {
      RequestOptions options = new RequestOptions().setMethod(method).setSsl(ssl)
          .setHost(host).setPort(port).setURI(requestUri).setFollowRedirects(false);
      if (!connectHost.equals(host)) {
        options.setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(port, connectHost));
      }
      return options;
    }
  }

  /**
   * Checks the URL's form: absolute http(s) with a host. Returns null when acceptable, else a
   * sentence for the customer.
   */
  public static String formProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "Input should be a valid URL";
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      return "URL scheme should be 'http' or 'https'";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "Input should be a valid URL, empty host";
    }
    return null;
  }

  /**
   * Resolves the URL's host without blocking ({@link HostLookup}, bounded by its time-out) and,
   * unless private targets are allowed, checks every address it has. The target connects to the first
   * address, private targets allowed or not, so what was resolved here is what is reached. Fails
   * with {@link Refused} for a forbidden address or a malformed URL, with
   * {@link UnknownHostException} when the name does not resolve ({@link HostLookup.TimedOut} when
   * DNS did not answer in time).
   */
  public Future<Target> resolve(String url) {
    String problem = formProblem(url);
    if (problem != null) {
      return Future.failedFuture(new Refused(problem));
    }
    URI uri = URI.create(url);
    boolean ssl = uri.getScheme().equalsIgnoreCase("https");
    String host = bare(uri.getHost());
    int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
    String requestUri = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/"
        : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return lookup.all(host).map(addresses -> {
      if (!allowPrivate) {
        for (InetAddress address : addresses) {
          String why = forbiddenReason(address);
          if (why != null) {
            throw new Refused("URL host " + host + " resolves to " + why + " address "
                + address.getHostAddress() + ", which is not allowed");
          }
        }
      }
      return new Target(uri, ssl, host, port, requestUri, addresses.get(0).getHostAddress());
    });
  }

  /** Null for a public unicast address, else what kind of forbidden address it is. */
  public static String forbiddenReason(InetAddress address) {
    if (address instanceof Inet4Address v4) {
      return forbiddenV4(v4.getAddress());
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet6Address) {
      if (isZero(b, 0, 16)) {
        return "an unspecified";
      }
      if (isZero(b, 0, 15) && b[15] == 1) {
        return "a loopback";
      }
      // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d and NAT64 64:ff9b::a.b.c.d carry an
      // IPv4 address that the network stack may reach: judge that one.
      boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
      boolean compatible = isZero(b, 0, 12);
      boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
          && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12);
      if (mapped || compatible || nat64) {
        return forbiddenV4(new byte[] {b[12], b[13], b[14], b[15]});
      }
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0xfe && (second & 0xc0) == 0x80) {
        return "a link-local";
      }
      if (first == 0xfe && (second & 0xc0) == 0xc0) {
        return "a site-local";
      }
      if ((first & 0xfe) == 0xfc) {
        return "a private";
      }
      if (first == 0xff) {
        return "a multicast";
      }
      return null;
    }
    return "an unknown kind of";
  }

  private static String forbiddenV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    if (a0 == 0) {
      return "an unspecified";
    }
    if (a0 == 127) {
      return "a loopback";
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return "a private";
    }
    if (a0 == 169 && a1 == 254) {
      return "a link-local";
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return "a shared (CGNAT)";
    }
    if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
      return "a reserved (IETF protocol)";
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return "a reserved (benchmarking)";
    }
    if (a0 >= 224 && a0 <= 239) {
      return "a multicast";
    }
    if (a0 >= 240) {
      return "a reserved";
    }
    return null;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}

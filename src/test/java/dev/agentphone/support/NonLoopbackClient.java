package dev.agentphone.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP client whose connections to the engine come from one of this machine's non-loopback
 * addresses, so the engine sees a TCP peer that is not loopback, as it would for a client on
 * another host. The target stays 127.0.0.1: the traffic never leaves the machine.
 */
public final class NonLoopbackClient implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient web;
  private final int port;
  public final String sourceAddress;

  public NonLoopbackClient(String sourceAddress, int port) {
    this.sourceAddress = sourceAddress;
    this.port = port;
    this.web = WebClient.create(vertx, new WebClientOptions().setLocalAddress(sourceAddress)
        .setKeepAlive(false));
  }

  /** An up, non-loopback, non-link-local IPv4 address of this machine, if it has one. */
  public static Optional<String> localAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()
              && !address.isLinkLocalAddress()) {
            return Optional.of(address.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  public Api.Response get(String path, String key, String... headers) {
    return send(HttpMethod.GET, path, key, null, null, headers);
  }

  public Api.Response post(String path, String key, Object json, String... headers) {
    return send(HttpMethod.POST, path, key, json == null ? null : json.toString(),
        "application/json", headers);
  }

  public Api.Response send(HttpMethod method, String path, String key, String body,
      String contentType, String... headers) {
    HttpRequest<Buffer> request = web.request(method, port, "127.0.0.1", path)
        .putHeader("Host", "localhost:" + port);
    if (key != null) {
      request.putHeader("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<Buffer> response = (body == null ? request.send()
          : request.sendBuffer(Buffer.buffer(body)))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Map<String, List<String>> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      response.headers().forEach(e ->
          names.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
      return new Api.Response(response.statusCode(), response.bodyAsString(),
          HttpHeaders.of(names, (a, b) -> true));
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}

package dev.agentphone.calls;

import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.providers.retell.RetellTools;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs one of an agent's custom tools the way its definition says: an HTTP request to the
 * tool's URL, through the same SSRF guard as webhooks (the address checked is the address
 * reached), with its method and headers, bounded by its {@code timeoutMs}. A POST carries
 * {@code {name, args, call}} as JSON; a GET carries the arguments as query parameters. The
 * answer is read up to {@code answerLimitBytes}. Nothing here fails: a refused URL, an error
 * status, a time-out or an oversized answer becomes a {@link ToolResult} saying so, which the
 * model is given like any other result and can tell the caller about.
 */
final class ToolRunner {
  private final Vertx vertx;
  private final HttpClient http;
  private final SsrfGuard guard;
  private final int answerLimitBytes;

  ToolRunner(Vertx vertx, SsrfGuard guard, int answerLimitBytes) {
    this.vertx = vertx;
    this.guard = guard;
    this.answerLimitBytes = answerLimitBytes;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
  }

  /** Runs {@code tool} (a custom tool as the agent holds it) with {@code args} for {@code call}. */
  Future<ToolResult> run(JsonObject tool, JsonObject args, JsonObject call) {
    String name = tool.getString("name");
    int timeout = tool.getInteger("timeoutMs", RetellTools.DEFAULT_TIMEOUT_MS);
    boolean get = "GET".equals(tool.getString("method"));
    String url = get ? withQuery(tool.getString("url"), args) : tool.getString("url");
    Promise<ToolResult> done = Promise.promise();
    long timer = vertx.setTimer(timeout, t -> done.tryComplete(ToolResult.failed(
        "The tool " + name + " did not answer within " + timeout + " ms")));
    guard.resolve(url).onComplete(resolved -> {
      if (resolved.failed()) {
        done.tryComplete(ToolResult.failed(refusal(name, resolved.cause())));
        return;
      }
      RequestOptions options = resolved.result()
          .requestOptions(get ? HttpMethod.GET : HttpMethod.POST)
          .setConnectTimeout(timeout).setIdleTimeout(timeout);
      http.request(options).onFailure(e -> done.tryComplete(unreachable(name, e)))
          .onSuccess(request -> {
            boolean[] read = new boolean[1];
            done.future().onComplete(finished -> {
              if (!read[0]) {
                request.reset(); // given up on (time-out, too large): stop at once
              }
            });
            request.putHeader("User-Agent", "agentphone-engine");
            JsonObject headers = tool.getJsonObject("headers", new JsonObject());
            for (Map.Entry<String, Object> header : headers) {
              if (header.getValue() instanceof String value) {
                request.putHeader(header.getKey(), value);
              }
            }
            request.response().onFailure(e -> done.tryComplete(unreachable(name, e)))
                .onSuccess(response -> read(name, response, done, read));
            request.exceptionHandler(e -> done.tryComplete(unreachable(name, e)));
            if (get) {
              request.end();
            } else {
              request.putHeader("Content-Type", "application/json");
              request.end(new JsonObject().put("name", name).put("args", args)
                  .put("call", call).encode());
            }
          });
    });
    return done.future().onComplete(finished -> vertx.cancelTimer(timer));
  }

  private void read(String name, HttpClientResponse response, Promise<ToolResult> done,
      boolean[] read) {
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > answerLimitBytes) {
        done.tryComplete(ToolResult.failed("The answer of the tool " + name + " is larger than "
            + answerLimitBytes + " bytes"));
        return;
      }
      body.appendBuffer(chunk);
    });
    response.exceptionHandler(e -> done.tryComplete(unreachable(name, e)));
    response.endHandler(v -> {
      read[0] = true;
      String text = body.toString(StandardCharsets.UTF_8);
      if (response.statusCode() / 100 == 2) {
        done.tryComplete(ToolResult.answered(text, response.getHeader("Content-Type")));
      } else {
        done.tryComplete(ToolResult.failed("The tool " + name + " answered HTTP "
            + response.statusCode()));
      }
    });
  }

  private static String refusal(String name, Throwable cause) {
    if (cause instanceof SsrfGuard.Refused refused) {
      return "The tool " + name + " was not called: " + refused.getMessage();
    }
    if (cause instanceof UnknownHostException) {
      return "The tool " + name + " was not called: its host does not resolve";
    }
    return "The tool " + name + " could not be reached";
  }

  private static ToolResult unreachable(String name, Throwable cause) {
    return ToolResult.failed("The tool " + name + " could not be reached ("
        + cause.getClass().getSimpleName() + ")");
  }

  /** The URL with each argument appended as a query parameter (objects and lists as JSON). */
  static String withQuery(String url, JsonObject args) {
    if (args == null || args.isEmpty()) {
      return url;
    }
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, Object> arg : args) {
      Object value = arg.getValue();
      String text = value instanceof JsonObject || value instanceof JsonArray
          ? io.vertx.core.json.Json.encode(value) : String.valueOf(value);
      query.append(query.length() == 0 ? "" : "&")
          .append(URLEncoder.encode(arg.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(text, StandardCharsets.UTF_8));
    }
    int fragment = url.indexOf('#');
    String base = fragment >= 0 ? url.substring(0, fragment) : url;
    return base + (base.contains("?") ? "&" : "?") + query;
  }

  void close() {
    http.close();
  }
}

package dev.agentphone.support;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, for requests no well-behaved client
 * would send: raw NUL or non-ASCII bytes and bad percent-escapes in the URL, bodies that are not
 * UTF-8, request lines and headers past the server's limits. The request target is sent as
 * given, byte for byte (each char below 256 is one byte).
 */
public final class RawHttp {
  private final int port;

  public RawHttp(int port) {
    this.port = port;
  }

  /** An answer: status, headers (names lower-cased) and body as UTF-8 text. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The JSON body, or null when it is not a JSON object. */
    public JsonObject json() {
      try {
        return new JsonObject(body);
      } catch (RuntimeException notJson) {
        return null;
      }
    }

    /** True when the body is a JSON object with a {@code detail}. */
    public boolean hasDetail() {
      JsonObject json = json();
      return json != null && json.containsKey("detail") && json.getValue("detail") != null;
    }
  }

  public Response send(String method, String target, String key, byte[] body,
      String... headers) {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    write(request, method + " ");
    for (int i = 0; i < target.length(); i++) {
      request.write(target.charAt(i));
    }
    write(request, " HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n");
    if (key != null) {
      write(request, "Authorization: Bearer " + key + "\r\n");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      write(request, headers[i] + ": " + headers[i + 1] + "\r\n");
    }
    if (body != null) {
      write(request, "Content-Length: " + body.length + "\r\n");
    }
    write(request, "\r\n");
    if (body != null) {
      request.writeBytes(body);
    }
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.toByteArray());
        out.flush();
      } catch (IOException closedEarly) {
        // the server may answer and close before reading all of a refused request
      }
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + printable(target) + " failed", e);
    }
  }

  public Response json(String method, String target, String key, String body) {
    return send(method, target, key, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int lastFour = 0;
    while (lastFour != 0x0D0A0D0A) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a complete answer: "
            + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      lastFour = lastFour << 8 | b;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body;
    String length = headers.get("content-length");
    String type = headers.getOrDefault("content-type", "");
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else if (type.startsWith("text/event-stream")) {
      body = new byte[0]; // a stream that stays open: its head is the answer
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunks(in);
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] chunks(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      StringBuilder size = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        if (b != '\r') {
          size.append((char) b);
        }
      }
      int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
      if (n == 0) {
        return out.toByteArray();
      }
      out.writeBytes(in.readNBytes(n));
      in.read();
      in.read();
    }
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** {@code text} for a failure message: non-printable characters as \\uXXXX, cut at 200. */
  public static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return out.toString();
  }
}

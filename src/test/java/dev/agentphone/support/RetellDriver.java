package dev.agentphone.support;

import dev.agentphone.providers.retell.RetellSignature;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Plays Retell against an engine over the real wire: signed webhooks to {@code /webhooks/retell}
 * and the custom-LLM WebSocket as a client, with the engine's frames collected for assertions.
 * Like Retell it knows its agents, numbers and calls — those of the engine's simulated Retell in
 * sandbox mode, or of a {@link FakeRetellApi} — so it opens a call's socket at the URL the
 * engine registered for the call's agent (on this driver's engine, as a load balancer would
 * route it), and every call it sends a webhook about is one Retell's {@code get-call} knows.
 */
public final class RetellDriver implements AutoCloseable {
  public static final String SANDBOX_KEY = "sandbox-retell-api-key";
  private final TestEngine engine;
  private final FakeRetellApi fake;
  private final String apiKey;
  private final Vertx vertx = Vertx.vertx();
  private final WebSocketClient client = vertx.createWebSocketClient();

  /** Retell as the engine's own simulated Retell (sandbox mode without a key). */
  public RetellDriver(TestEngine engine) {
    this(engine, null, SANDBOX_KEY);
  }

  /** Retell as {@code fake}, whose API key the engine was configured with. */
  public RetellDriver(TestEngine engine, FakeRetellApi fake, String apiKey) {
    this.engine = engine;
    this.fake = fake;
    this.apiKey = apiKey;
  }

  /** A Retell call object in webhook shape; the driver fills in the agent answering the number. */
  public static JsonObject call(String callId, String direction, String from, String to) {
    return new JsonObject().put("call_id", callId).put("call_type", "phone_call")
        .put("call_status", "ongoing").put("direction", direction)
        .put("from_number", from).put("to_number", to)
        .put("start_timestamp", System.currentTimeMillis()).put("metadata", new JsonObject());
  }

  /** Sends a signed webhook about {@code call}, which Retell then knows as it was sent. */
  public Api.Response webhook(String event, JsonObject call) {
    JsonObject known = remember(call);
    String body = new JsonObject().put("event", event).put("call", known).encode();
    return engine.api.send("POST", "/webhooks/retell", null, body, "application/json",
        RetellSignature.HEADER, RetellSignature.sign(apiKey, body, System.currentTimeMillis()));
  }

  /**
   * Makes Retell know {@code call} (merged into what it knew), with the agent answering its
   * number when the call names none; answers the call as Retell now holds it.
   */
  public JsonObject remember(JsonObject call) {
    String id = call.getString("call_id");
    JsonObject before = fake != null ? fake.calls.get(id) : object("call", id);
    JsonObject known = (before == null ? new JsonObject() : before.copy()).mergeIn(call);
    if (known.getString("agent_id") == null) {
      String number = "inbound".equals(known.getString("direction"))
          ? known.getString("to_number") : known.getString("from_number");
      String agent = number == null ? null : agentOfNumber(number);
      if (agent != null) {
        known.put("agent_id", agent);
      }
    }
    if (fake != null) {
      fake.calls.put(id, known);
      return known;
    }
    engine.sql("INSERT INTO sandbox_retell_objects (kind, id, body) VALUES ('call', ?, ?::jsonb) "
        + "ON CONFLICT (kind, id) DO UPDATE SET body = EXCLUDED.body", id, known.encode());
    return known;
  }

  /** The Retell agent answering {@code number}: set when the engine imported the number. */
  private String agentOfNumber(String number) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject imported = fake != null ? fake.numbers.get(number) : object("number", number);
      if (imported != null && imported.getString("inbound_agent_id") != null) {
        return imported.getString("inbound_agent_id");
      }
      sleep(20);
    }
    return null;
  }

  private JsonObject object(String kind, String id) {
    List<Map<String, Object>> rows = engine.sql("SELECT body::text AS body FROM "
        + "sandbox_retell_objects WHERE kind = ? AND id = ?", kind, id);
    return rows.isEmpty() ? null : new JsonObject((String) rows.get(0).get("body"));
  }

  /** The path of the LLM socket URL the engine registered with Retell for {@code retellAgent}. */
  public String socketPathOf(String retellAgent) {
    JsonObject agent = fake != null ? fake.agents.get(retellAgent) : object("agent", retellAgent);
    if (agent == null) {
      throw new AssertionError("Retell has no agent " + retellAgent);
    }
    String url = agent.getJsonObject("response_engine", new JsonObject())
        .getString("llm_websocket_url");
    if (url == null) {
      throw new AssertionError("agent " + retellAgent + " has no LLM socket: " + agent);
    }
    return URI.create(url).getRawPath();
  }

  /** The Retell agent provisioned for our agent {@code agentId}. */
  public String retellAgentOf(String agentId) {
    List<Map<String, Object>> rows = engine.sql("SELECT retell_agent_id FROM voice_agents "
        + "WHERE agent_id = ?", agentId);
    if (rows.isEmpty()) {
      throw new AssertionError("agent " + agentId + " is not provisioned in Retell");
    }
    return (String) rows.get(0).get("retell_agent_id");
  }

  /** Opens the call's LLM socket as Retell does: the agent's registered URL plus the call id. */
  public Socket connect(String retellCallId) {
    JsonObject call = fake != null ? fake.calls.get(retellCallId) : object("call", retellCallId);
    if (call == null || call.getString("agent_id") == null) {
      throw new AssertionError("Retell knows no agent for call " + retellCallId + ": " + call);
    }
    return connectTo(socketPathOf(call.getString("agent_id")) + "/" + retellCallId);
  }

  /** Opens a socket at any path of the engine; fails when the engine refuses the upgrade. */
  public Socket connectTo(String uri) {
    try {
      // the frame handler is attached on the event loop as the socket opens, before any frame
      return client.connect(new WebSocketConnectOptions().setPort(engine.port)
              .setHost("localhost").setURI(uri))
          .map(Socket::new)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException rejected) {
        throw new Refused(rejected.getStatus());
      }
      throw new IllegalStateException("cannot connect the LLM socket", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect the LLM socket", e);
    }
  }

  /** The engine answered the upgrade with an HTTP status instead of a socket. */
  public static final class Refused extends RuntimeException {
    public final int status;

    Refused(int status) {
      super("upgrade refused with " + status);
      this.status = status;
    }
  }

  /** The Retell end of one LLM socket. */
  public static final class Socket implements AutoCloseable {
    private final WebSocket ws;
    public final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile Short closeCode;
    private volatile String closeReason;

    Socket(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
      ws.closeHandler(v -> {
        closeCode = ws.closeStatusCode();
        closeReason = ws.closeReason();
        closed = true;
      });
    }

    public void send(JsonObject frame) {
      ws.writeTextMessage(frame.encode());
    }

    public void responseRequired(int responseId, JsonArray transcript) {
      send(new JsonObject().put("interaction_type", "response_required")
          .put("response_id", responseId).put("transcript", transcript));
    }

    public void update(JsonArray transcript) {
      send(new JsonObject().put("interaction_type", "update_only").put("transcript", transcript));
    }

    /** The first frame matching, waiting up to 10 s. */
    public JsonObject await(Predicate<JsonObject> match) {
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline) {
        for (JsonObject frame : frames) {
          if (match.test(frame)) {
            return frame;
          }
        }
        sleep(5);
      }
      throw new AssertionError("no matching frame; got " + frames);
    }

    /** Response frames for {@code responseId}, once its complete frame has arrived. */
    public List<JsonObject> awaitResponse(int responseId) {
      await(f -> "response".equals(f.getString("response_type"))
          && f.getInteger("response_id") == responseId && f.getBoolean("content_complete"));
      return responses(responseId);
    }

    public List<JsonObject> responses(int responseId) {
      List<JsonObject> out = new ArrayList<>();
      for (JsonObject frame : frames) {
        if ("response".equals(frame.getString("response_type"))
            && frame.getInteger("response_id") == responseId) {
          out.add(frame);
        }
      }
      return out;
    }

    public boolean closed() {
      return closed;
    }

    /** The close code the engine sent; null while open. */
    public Short closeCode() {
      return closeCode;
    }

    public String closeReason() {
      return closeReason;
    }

    @Override
    public void close() {
      ws.close();
    }
  }

  public static JsonArray transcript(String... roleAndContent) {
    JsonArray out = new JsonArray();
    for (int i = 0; i + 1 < roleAndContent.length; i += 2) {
      out.add(new JsonObject().put("role", roleAndContent[i]).put("content", roleAndContent[i + 1]));
    }
    return out;
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits up to 10 s for a condition. */
  public static void poll(java.util.function.BooleanSupplier condition) {
    poll(10_000, condition);
  }

  public static void poll(long millis, java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met in time");
      }
      sleep(10);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}

package dev.agentphone.lab;

import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner against an engine it did not start ({@code --base} and {@code --key}): a wrong
 * expectation fails readably (expected, actual, the call's report) with a non-zero exit code
 * and a JUnit failure; an agent named by id and an inline agent with the customer's own
 * webhook URL answer as they should; a scenario that is not well written is refused up front.
 */
class LabRunnerTest {
  static TestEngine engine;
  static CustomerWebhook customer;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    customer = new CustomerWebhook();
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "Straight from your server.").encode()));
  }

  @AfterAll
  static void stop() {
    customer.close();
    engine.close();
  }

  /** Runs {@code yaml} against the test engine, on a new account's key. */
  private static LabOutput run(Path dir, String yaml, String... more) throws Exception {
    Path file = dir.resolve("scenario.yaml");
    Files.writeString(file, yaml);
    List<String> args = new ArrayList<>(List.of("run", file.toString(),
        "--base", "http://localhost:" + engine.port, "--key", engine.newKey()));
    args.addAll(List.of(more));
    return LabOutput.run(args.toArray(String[]::new));
  }

  @Test
  void aWrongExpectationFailsWithWhatWasExpectedAndWhatHappened(@TempDir Path dir)
      throws Exception {
    Path junit = dir.resolve("out.xml");
    LabOutput run = run(dir, """
        name: expects a farewell the agent never says
        agent: starter
        steps:
          - call: {}
          - say: "Hello there"
          - expect: {agentSays: "(?i)goodbye forever", within: 1s}
          - hangup: {}
        """, "--junit", junit.toString(), "--verbose");

    assertThat(run.exitCode()).as(run.text()).isEqualTo(1);
    assertThat(run.text())
        .contains("FAIL  3 expect")
        .contains("agentSays: expected /(?i)goodbye forever/")
        .contains("actual   the agent said \"Hello! How can I help you today?\"")
        .contains("caller: Hello there")
        .contains("skip  4 hangup")
        .contains("0 passed, 1 failed");
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(junit.toFile());
    Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    Element failure = (Element) xml.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message"))
        .contains("expected /(?i)goodbye forever/", "got the agent said");
  }

  @Test
  void anAgentNamedByItsIdAnswersTheCall(@TempDir Path dir) throws Exception {
    String key = engine.newKey();
    String agentId = engine.api.post("/v1/agents", key, new JsonObject()
            .put("name", "Front desk").put("voiceMode", "hosted")
            .put("voicemailMessage", "Front desk here, call us back."))
        .json().getString("id");
    Path file = dir.resolve("by-id.yaml");
    Files.writeString(file, """
        name: an agent by id leaves its voicemail
        agent: %s
        steps:
          - call: {to: "+14155550177", answeredBy: voicemail}
          - expect: {callStatus: completed, disconnectionReason: voicemail_reached}
          - expect: {agentSays: "Front desk here"}
        """.formatted(agentId));

    LabOutput run = LabOutput.run("run", file.toString(), "--base",
        "http://localhost:" + engine.port, "--key", key, "--verbose");

    assertThat(run.text()).as(run.text()).contains("1 passed, 0 failed");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void anInlineAgentAsksTheCustomersWebhookUrl(@TempDir Path dir) throws Exception {
    LabOutput run = run(dir, """
        name: inline agent with the customer's webhook
        agent: {voiceMode: webhook, webhook: %s}
        steps:
          - call: {}
          - say: "Hello?"
          - expect: {reply: "^Straight from your server\\\\.$"}
          - hangup: {}
          - expect: {callStatus: completed}
        """.formatted(customer.url()), "--verbose");

    assertThat(run.text()).as(run.text()).contains("1 passed, 0 failed");
    assertThat(run.exitCode()).isZero();
    assertThat(customer.received).anySatisfy(r -> assertThat(r.body().getJsonObject("data")
        .getString("transcript")).isEqualTo("Hello?"));
  }

  @Test
  void aScenarioThatIsNotWellWrittenIsRefusedBeforeAnythingRuns(@TempDir Path dir)
      throws Exception {
    LabOutput run = run(dir, """
        name: a typo
        steps:
          - call: {}
          - shout: "Hello"
        """);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.text()).contains("step 2: unknown step `shout`");
  }
}

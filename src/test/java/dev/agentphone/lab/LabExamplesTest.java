package dev.agentphone.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shipped example scenario ({@code lab/examples/*.yaml}) passes, played by the runner as
 * {@code lab run} plays it: against its own engine (embedded PostgreSQL, sandbox providers, a
 * fresh data directory), each scenario on a new account, with JUnit XML written.
 */
class LabExamplesTest {
  @Test
  void everyExampleScenarioPasses(@TempDir Path dir) throws Exception {
    List<String> files = examples();
    assertThat(files).as("examples shipped").hasSizeGreaterThanOrEqualTo(12);
    Path junit = dir.resolve("lab.xml");
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(files);
    args.addAll(List.of("--junit", junit.toString(), "--verbose"));

    LabOutput run = LabOutput.run(args.toArray(String[]::new));

    assertThat(run.text()).as(run.text()).contains(files.size() + " passed, 0 failed")
        .doesNotContain("FAIL");
    assertThat(run.exitCode()).isZero();
    for (String file : files) {
      assertThat(run.text()).contains("(" + file + ")");
    }
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(junit.toFile());
    Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(files.size()));
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(files.size());
  }

  /** The situations the lab must be able to play each have an example. */
  @Test
  void theExamplesCoverEverySituation() throws IOException {
    String all = String.join("\n", examples().stream().map(LabExamplesTest::read).toList());
    assertThat(all).contains("answeredBy: voicemail", "screening: true", "maxSilenceMs",
        "wait: false", "dtmf:", "interrupt:", "delay:", "status: 500", "body: \"not json\"",
        "ndjson:", "errorCode: 30003", "errorCode: 30007", "parallel:");
  }

  private static List<String> examples() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("lab/examples"))) {
      return files.map(Path::toString).filter(f -> f.endsWith(".yaml")).sorted().toList();
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.agentphone.lab;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.nio.file.Path;
import java.util.List;

/**
 * The run as JUnit XML, which CI systems read: one {@code testcase} per scenario (its file as
 * the class name), a {@code failure} with the first failing step, the printed lines as
 * {@code system-out}.
 */
final class JunitXml {
  private JunitXml() {
  }

  static void write(Path file, List<ScenarioResult> results) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
    Element suites = doc.createElement("testsuites");
    doc.appendChild(suites);
    Element suite = doc.createElement("testsuite");
    suites.appendChild(suite);
    long failures = results.stream().filter(r -> !r.passed()).count();
    long millis = results.stream().mapToLong(ScenarioResult::millis).sum();
    suite.setAttribute("name", "agentphone-lab");
    suite.setAttribute("tests", String.valueOf(results.size()));
    suite.setAttribute("failures", String.valueOf(failures));
    suite.setAttribute("errors", "0");
    suite.setAttribute("time", seconds(millis));
    for (ScenarioResult result : results) {
      Element testcase = doc.createElement("testcase");
      testcase.setAttribute("classname", result.file());
      testcase.setAttribute("name", result.name());
      testcase.setAttribute("time", seconds(result.millis()));
      if (!result.passed()) {
        Element failure = doc.createElement("failure");
        failure.setAttribute("message", result.failure());
        failure.setTextContent(String.join("\n", result.lines()));
        testcase.appendChild(failure);
      }
      Element out = doc.createElement("system-out");
      out.setTextContent(String.join("\n", result.lines()));
      testcase.appendChild(out);
      suite.appendChild(testcase);
    }
    var transformer = TransformerFactory.newInstance().newTransformer();
    transformer.setOutputProperty(OutputKeys.INDENT, "yes");
    transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
    transformer.transform(new DOMSource(doc), new StreamResult(file.toFile()));
  }

  private static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
  }
}

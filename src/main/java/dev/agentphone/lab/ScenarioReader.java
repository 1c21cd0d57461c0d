package dev.agentphone.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a scenario file (YAML, with jackson-dataformat-yaml). Each step is a map of one key, the
 * step's kind; a mistake in the file is reported with the step's number before anything runs.
 */
final class ScenarioReader {
  static final Set<String> KINDS = Set.of("call", "say", "interrupt", "silence", "dtmf", "hangup",
      "wait", "sms", "send", "carrier", "expect", "parallel");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ScenarioReader() {
  }

  static Scenario read(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  static Scenario parse(String text, String file) {
    Object tree;
    try {
      tree = YAML.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new ScenarioException(file + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new ScenarioException(file + ": a scenario is a map with name, agent and steps");
    }
    JsonObject root = new JsonObject(cast(map));
    String name = root.getValue("name") == null ? Path.of(file).getFileName().toString()
        : root.getValue("name").toString();
    Object agent = wrap(root.getValue("agent", "starter"));
    if (!(root.getValue("steps") instanceof JsonArray steps) || steps.isEmpty()) {
      throw new ScenarioException(file + ": steps: a list of at least one step is required");
    }
    return new Scenario(name, file, agent, steps(steps, file));
  }

  static List<Scenario.Step> steps(JsonArray raw, String where) {
    List<Scenario.Step> steps = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Object item = raw.getValue(i);
      if (!(item instanceof JsonObject step) || step.size() != 1) {
        throw new ScenarioException(where + ": step " + (i + 1)
            + " must be a map of one key, such as `say: \"Hello\"`");
      }
      String kind = step.fieldNames().iterator().next();
      if (!KINDS.contains(kind)) {
        throw new ScenarioException(where + ": step " + (i + 1) + ": unknown step `" + kind
            + "` (known: " + String.join(", ", KINDS.stream().sorted().toList()) + ")");
      }
      steps.add(new Scenario.Step(i + 1, kind, wrap(step.getValue(kind))));
    }
    return steps;
  }

  private static Object wrap(Object value) {
    if (value instanceof Map<?, ?> map) {
      return new JsonObject(cast(map));
    }
    if (value instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list));
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}

package dev.agentphone.sdk;

import dev.agentphone.sdk.SdkPackage.Operation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract ({@code openapi.json}, served at /openapi.json and /docs) describes every
 * operation of the official TypeScript client, read from the installed package itself
 * (agentphone, pinned in src/test/node): same method and path template, every query parameter,
 * header and body field it sends, and every field of the answers it is typed to read.
 */
class ContractCoversSdkTest {
  /** What the contract has beyond the client: the sign-up it never calls, engine extensions. */
  static final Set<String> BEYOND_THE_CLIENT = Set.of("POST /v0/agent/sign-up",
      "POST /v0/agent/verify", "GET /v1/settings/recording", "PUT /v1/settings/recording",
      "GET /v1/calls/{call_id}/live", "POST /v1/calls/{call_id}/live-token");

  static SdkPackage sdk;
  static List<Operation> operations;

  @BeforeAll
  static void readTheClient() {
    sdk = new SdkPackage(OfficialClient.installedPackage());
    operations = sdk.operations();
  }

  @Test
  void theClientsOperationsAreAllRead() {
    // 67 methods in 1.0.17, each one request; a reader that lost some would prove nothing
    assertThat(operations).hasSize(67);
    Set<String> routes = new HashSet<>();
    for (Operation op : operations) {
      assertThat(routes.add(op.method() + " " + op.path())).as("%s is read twice", op).isTrue();
    }
    Operation createAgent = find("agents", "createAgent");
    assertThat(createAgent.body()).containsKeys("name", "voiceSpeed", "customTools", "language");
    assertThat(createAgent.headers()).containsExactly("X-Sub-Account-Id");
    assertThat(find("webhooks", "createOrUpdateWebhook").body()).containsOnlyKeys("url",
        "contextLimit", "timeout");
    assertThat(find("usage", "getUsageByAgent").query()).containsOnlyKeys("period", "tz");
    assertThat(find("conversations", "sendTypingIndicator").body()).isNull();
  }

  @Test
  void theContractCoversEveryOperationOfTheClient() {
    List<String> problems = SdkCoverage.problems(new Contract(Contract.served()), sdk, operations);
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void theContractHasNothingElseButTheSignUpAndTheEngineExtensions() {
    Contract contract = new Contract(Contract.served());
    Set<String> beyond = new TreeSet<>(contract.operations());
    operations.forEach(op -> beyond.remove(op.method() + " " + op.path()));
    assertThat(beyond).isEqualTo(new TreeSet<>(BEYOND_THE_CLIENT));
    for (String extension : List.of("GET /v1/settings/recording", "PUT /v1/settings/recording")) {
      String[] route = extension.split(" ");
      assertThat(contract.operation(route[0], route[1]).getBoolean("x-engine-extension", false))
          .as("%s is marked as an engine extension", extension).isTrue();
    }
  }

  @Test
  void aContractMissingAnOperationAParameterOrAFieldIsCaught() {
    JsonObject doc = Contract.served();
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    JsonObject paths = doc.getJsonObject("paths");
    paths.getJsonObject("/v1/numbers/{number_id}").remove("get");
    schemas.getJsonObject("CreateAgentRequest").getJsonObject("properties").remove("voiceSpeed");
    schemas.getJsonObject("ContactCardResponse").getJsonObject("properties").remove("hasAvatar");
    schemas.getJsonObject("CustomToolParam").getJsonObject("properties").getJsonObject("method")
        .put("enum", new JsonArray().add("GET"));
    JsonObject updateConversation = schemas.getJsonObject("UpdateConversationRequest");
    updateConversation.put("required", new JsonArray().add("metadata"));
    JsonObject recording = paths.getJsonObject("/v1/calls/{call_id}/recording");
    paths.remove("/v1/calls/{call_id}/recording");
    paths.put("/v1/calls/{id}/recording", recording);
    JsonObject byAgent = paths.getJsonObject("/v1/usage/by-agent").getJsonObject("get");
    JsonArray params = new JsonArray();
    byAgent.getJsonArray("parameters").forEach(p -> {
      if (!"period".equals(((JsonObject) p).getString("name"))) {
        params.add(p);
      }
    });
    byAgent.put("parameters", params);
    paths.getJsonObject("/v1/contacts/{contact_id}").getJsonObject("delete")
        .getJsonObject("responses").remove("204");

    List<String> problems = SdkCoverage.problems(new Contract(doc), sdk, operations);
    assertThat(problems).anyMatch(p -> p.startsWith("numbers.getNumber (GET /v1/numbers/{number_id})"
        + ": is not in the contract"));
    assertThat(problems).anyMatch(p -> p.contains("createAgent") && p.contains("body.voiceSpeed is "
        + "missing"));
    assertThat(problems).anyMatch(p -> p.contains("getContactCard")
        && p.contains("response.hasAvatar is missing"));
    assertThat(problems).anyMatch(p -> p.contains("updateAgent")
        && p.contains("body.customTools[].method has the values [GET]"));
    assertThat(problems).anyMatch(p -> p.contains("updateConversation")
        && p.contains("body.metadata is required; the client's is optional"));
    assertThat(problems).anyMatch(p -> p.startsWith("calls.getCallRecording") && p.endsWith(
        "is not in the contract"));
    assertThat(problems).anyMatch(p -> p.contains("getUsageByAgent")
        && p.contains("query parameter period is missing"));
    assertThat(problems).anyMatch(p -> p.contains("deleteContact ")
        && p.contains("does not answer 204"));
    List<String> unexpected = new ArrayList<>(problems);
    unexpected.removeIf(p -> p.contains("getNumber") || p.contains("voiceSpeed")
        || p.contains("hasAvatar") || p.contains("customTools[].method")
        || p.contains("updateConversation") || p.contains("getCallRecording")
        || p.contains("query parameter period") || p.contains("deleteContact "));
    assertThat(unexpected).as("only the broken parts are reported").isEmpty();
  }

  private static Operation find(String resource, String name) {
    return operations.stream().filter(o -> o.resource().equals(resource) && o.name().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError(resource + "." + name + " not read"));
  }
}

package dev.agentphone.http;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code POST} under {@code /v1} in the contract names {@code Idempotency-Key}, and the
 * engine honours it on each of them, operations added later included: the retry of whatever the
 * first request was answered is that answer again, marked replayed.
 */
class IdempotencyContractTest {
  static TestEngine server;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<OpenApiOperations.Operation> posts() {
    List<OpenApiOperations.Operation> posts = OpenApiOperations.load().stream()
        .filter(op -> op.method().equals("POST") && op.path().startsWith("/v1/")).toList();
    assertThat(posts).hasSizeGreaterThan(10);
    return posts;
  }

  @Test
  void everyPostUnderV1DeclaresTheKey() {
    List<String> missing = new ArrayList<>();
    for (OpenApiOperations.Operation op : posts()) {
      boolean declared = op.in("header").stream()
          .anyMatch(p -> p.name().equals(IdempotencyKeys.HEADER) && !p.required());
      if (!declared) {
        missing.add(op.toString());
      }
    }
    assertThat(missing).as("POST operations without an optional Idempotency-Key").isEmpty();
  }

  @Test
  void everyPostUnderV1ReplaysItsFirstAnswer() {
    String key = server.newKey();
    List<String> problems = new ArrayList<>();
    for (OpenApiOperations.Operation op : posts()) {
      String path = op.path().replaceAll("\\{[^}]+}", "missing_0");
      String idem = UUID.randomUUID().toString();
      Api.Response first = send(path, key, idem);
      Api.Response again = send(path, key, idem);
      if (first.status() >= 500) {
        if (again.header(IdempotencyKeys.REPLAYED) != null) {
          problems.add(op + ": a " + first.status() + " was replayed");
        }
      } else if (again.status() != first.status() || !again.body().equals(first.body())
          || !"true".equals(again.header(IdempotencyKeys.REPLAYED))) {
        problems.add(op + ": " + first.status() + " " + first.body() + " then "
            + again.status() + " " + again.body() + " replayed="
            + again.header(IdempotencyKeys.REPLAYED));
      }
    }
    assertThat(problems).isEmpty();
  }

  private static Api.Response send(String path, String key, String idem) {
    return server.api.send("POST", path, key, "{}", "application/json",
        IdempotencyKeys.HEADER, idem);
  }
}

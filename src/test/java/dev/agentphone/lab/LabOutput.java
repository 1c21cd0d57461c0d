package dev.agentphone.lab;

import dev.agentphone.LabEngine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One {@code lab} command run in this JVM: its exit code and everything it printed. */
record LabOutput(int exitCode, String text) {
  static LabOutput run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = LabCommand.run(args, out, LabEngine::start);
    return new LabOutput(code, bytes.toString(StandardCharsets.UTF_8));
  }
}

package io.pulsarrpc.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * One in-process run of the command line with captured output: its exit code, stdout and stderr.
 * Runs with an empty environment, so the machine's variables never change a test.
 */
record CliRun(int exitCode, String out, String err) {

  /** The descriptor set the build writes from src/test/proto. */
  static final Path DESCRIPTORS = Path.of("target", "test-descriptors", "clitest.desc");

  static CliRun run(String... args) {
    return runWithInput("", args);
  }

  static CliRun runWithInput(String stdin, String... args) {
    return runWith(
        Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
  }

  static CliRun runWith(Map<String, String> env, InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliIo io = new CliIo(new PrintWriter(out, true), new PrintWriter(err, true), stdin, env, false);
    int code = PulsarRpcCli.execute(new PulsarRpcCli(io), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The lines of stderr, without the last line break. */
  String[] errLines() {
    return err.strip().split("\\R");
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}

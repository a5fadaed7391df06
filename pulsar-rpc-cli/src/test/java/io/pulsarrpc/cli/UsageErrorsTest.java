package io.pulsarrpc.cli;

import static io.pulsarrpc.cli.CliRun.DESCRIPTORS;
import static io.pulsarrpc.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input the command line refuses before it connects: exit code 2 and one line. */
class UsageErrorsTest {

  private static void assertUsageError(CliRun run, String message) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_USAGE);
    assertThat(run.errLines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).contains(message).doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertUsageError(
        run("call", "--no-such-option", "topic"), "Unknown option: '--no-such-option'");
  }

  @Test
  void missingCommandIsAUsageError() {
    assertUsageError(run(), "a command is missing");
  }

  @Test
  void serversWithoutAControlTokenIsAUsageError() {
    assertUsageError(run("servers"), "--control-token (or PULSAR_RPC_CONTROL_TOKEN) is required");
  }

  @Test
  void serversWithAWindowThatIsNotPositiveIsAUsageError() {
    assertUsageError(
        run("servers", "--control-token", "secret", "--window", "0s"), "--window must be positive");
  }

  @Test
  void callAllExpectingNoServerIsAUsageError() {
    assertUsageError(
        run("call-all", "--servers", "0", "topic", "x"),
        "--servers: expected servers must be 1 to 1024, got 0");
  }

  @Test
  void callWithoutTopicIsAUsageError() {
    assertUsageError(run("call"), "a TOPIC is missing");
  }

  @Test
  void unknownFormatIsAUsageError() {
    assertUsageError(run("call", "--format", "xml", "topic", "x"), "--format");
  }

  @Test
  void unreadableDurationIsAUsageError() {
    assertUsageError(run("call", "--timeout", "soon", "topic", "x"), "'soon' is not a duration");
  }

  @Test
  void payloadThatIsNotJsonIsAUsageError() {
    assertUsageError(
        run("call", "--format", "json", "topic", "{\"a\":"), "the payload is not JSON");
  }

  @Test
  void payloadThatIsNotBase64IsAUsageError() {
    assertUsageError(run("call", "--format", "bytes", "topic", "%%%"), "the payload is not base64");
  }

  @Test
  void unknownMethodIsAUsageErrorThatListsTheMethods() {
    assertUsageError(
        run("call", "--proto", DESCRIPTORS.toString(), "--method", "clitest.Greeter/Nope", "{}"),
        "unknown method 'clitest.Greeter/Nope'; the descriptor set has clitest.Greeter/Greetings,"
            + " clitest.Greeter/SayHello");
  }

  @Test
  void jsonThatDoesNotMatchTheRequestMessageIsAUsageError() {
    assertUsageError(
        run(
            "call",
            "--proto",
            DESCRIPTORS.toString(),
            "--method",
            "clitest.Greeter/SayHello",
            "{\"nmae\":\"Ada\"}"),
        "the payload is not a clitest.HelloRequest in JSON");
  }

  @Test
  void methodWithoutDescriptorSetIsAUsageError() {
    assertUsageError(
        run("call", "--method", "clitest.Greeter/SayHello", "{}"),
        "--proto and --method go together");
  }

  @Test
  void protoSourceFileIsRefusedWithTheCommandThatCompilesIt(@TempDir Path dir) throws Exception {
    Path source = Files.writeString(dir.resolve("greeter.proto"), "syntax = \"proto3\";");
    assertUsageError(
        run("call", "--proto", source.toString(), "--method", "a.B/C", "{}"),
        "protoc --include_imports --descriptor_set_out=service.desc greeter.proto");
  }

  @Test
  void metadataThatIsNotKeyEqualsValueIsAUsageError() {
    assertUsageError(run("call", "--metadata", "novalue", "topic", "x"), "--metadata");
  }

  @Test
  void scheduledCallRefusesBothAtAndAfter() {
    assertUsageError(
        run("call", "--at", "2030-01-01T00:00:00Z", "--after", "1s", "topic", "x"),
        "give --at or --after, not both");
  }

  @Test
  void scheduledCallWithACallTopicIsAUsageError() {
    assertUsageError(
        run("call", "--after", "1s", "--topic", "eu", "topic", "x"),
        "--topic does not combine with --at or --after");
  }

  @Test
  void verboseAddsTheStackTrace() {
    CliRun run = run("call", "--verbose", "--format", "json", "topic", "{");
    assertThat(run.exitCode()).isEqualTo(PulsarRpcCli.EXIT_USAGE);
    assertThat(run.err()).contains("the payload is not JSON").contains("\tat ");
  }

  @Test
  void connectionOptionsMayComeBeforeTheCommand() {
    CliRun run = run("--bus", "nats", "call", "--format", "json", "topic", "{");
    assertUsageError(run, "the payload is not JSON");
  }
}

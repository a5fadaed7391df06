package io.pulsarrpc.cli;

import static io.pulsarrpc.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A bus that cannot be used: exit code 4 and one line naming the bus and URL, quickly. */
class ConnectionErrorsTest {

  private static void assertConnectionError(CliRun run, String message) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_CONNECTION);
    assertThat(run.errLines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).contains(message).doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void pulsarUrlThatIsNotAUrlIsAConnectionError() {
    assertConnectionError(
        run("call", "--service-url", "not a url", "topic", "x"),
        "cannot use the pulsar bus at not a url");
  }

  @Test
  void pulsarBrokerThatDoesNotAnswerIsAConnectionError() throws IOException {
    String url = "pulsar://127.0.0.1:" + closedPort();
    assertConnectionError(
        run("call", "--service-url", url, "--connect-timeout", "2s", "topic", "x"),
        "cannot use the pulsar bus at " + url);
  }

  @Test
  void redisThatDoesNotAnswerIsAConnectionError() throws IOException {
    String url = "redis://127.0.0.1:" + closedPort();
    assertConnectionError(
        run("call", "--bus", "redis", "--service-url", url, "topic", "x"),
        "cannot use the redis bus at " + url);
  }

  @Test
  void natsThatDoesNotAnswerIsAConnectionError() throws IOException {
    String url = "nats://127.0.0.1:" + closedPort();
    assertConnectionError(
        run("call", "--bus", "nats", "--service-url", url, "topic", "x"),
        "cannot use the nats bus at " + url);
  }

  @Test
  void busFromTheEnvironmentMustBeKnown() {
    CliRun run =
        CliRun.runWith(
            java.util.Map.of("PULSAR_RPC_BUS", "kafka"),
            java.io.InputStream.nullInputStream(),
            "call",
            "topic",
            "x");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_USAGE);
    assertThat(run.err()).contains("PULSAR_RPC_BUS must be pulsar, redis or nats, got 'kafka'");
  }
}

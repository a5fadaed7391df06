package io.pulsarrpc.cli;

import static io.pulsarrpc.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --token} against a broker with token authentication: its own broker, since the shared one
 * runs without authentication.
 */
class TokenAuthenticationCliIT {

  private static final String TOPIC = "persistent://public/default/cli-secured";

  private static EmbeddedPulsarBroker broker;
  private static MessageBus bus;
  private static PulsarRpcServer<String, String> server;

  @BeforeAll
  static void startBrokerAndServer() throws Exception {
    broker = EmbeddedPulsarBroker.builder().tokenAuthentication().build();
    broker.start();
    bus = PulsarMessageBus.create(broker.client());
    server = TestServers.upperCase(bus, TOPIC, "eu");
  }

  @AfterAll
  static void stopBroker() {
    if (server != null) {
      server.close();
      bus.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static CliRun call(String... tokenOptions) {
    String[] args = new String[tokenOptions.length + 6];
    args[0] = "call";
    args[1] = "--service-url=" + broker.serviceUrl();
    args[2] = "--connect-timeout=30s";
    System.arraycopy(tokenOptions, 0, args, 3, tokenOptions.length);
    args[tokenOptions.length + 3] = "--timeout=30s";
    args[tokenOptions.length + 4] = TOPIC;
    args[tokenOptions.length + 5] = "hello";
    return run(args);
  }

  private static void assertRefused(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_CONNECTION);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err())
        .startsWith("pulsar-rpc: cannot use the pulsar bus at " + broker.serviceUrl())
        .containsIgnoringCase("authenticat")
        .doesNotContain("\tat ");
  }

  @Test
  void callWithAValidTokenIsAnswered() {
    CliRun run = call("--token", broker.tokenFor("cli-user"));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("eu: HELLO\n");
  }

  @Test
  void tokenFromTheEnvironmentIsUsed() {
    CliRun run =
        CliRun.runWith(
            Map.of("PULSAR_RPC_TOKEN", broker.tokenFor("cli-user")),
            InputStream.nullInputStream(),
            "call",
            "--service-url=" + broker.serviceUrl(),
            TOPIC,
            "env");
    assertThat(run.out()).as(run.toString()).isEqualTo("eu: ENV\n");
  }

  @Test
  void callWithoutATokenIsRefusedWithFour() {
    assertRefused(call());
  }

  @Test
  void callWithABadTokenIsRefusedWithFour() {
    assertRefused(call("--token", "not-a-jwt"));
  }
}

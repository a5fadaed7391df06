package io.pulsarrpc.cli;

import static io.pulsarrpc.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code call} and {@code call-all} over Redis and NATS, chosen with {@code --bus}. */
@ExtendWith(TestBrokersExtension.class)
class OtherBusesCliIT {

  private static String newTopic() {
    return "cli-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void assertCallsThrough(MessageBus bus, String busName, String url)
      throws Exception {
    String topic = newTopic();
    try (PulsarRpcServer<String, String> server = TestServers.upperCase(bus, topic, "one")) {
      CliRun call = run("call", "--bus", busName, "--service-url", url, topic, "hello");
      assertThat(call.exitCode()).as(call.toString()).isZero();
      assertThat(call.out()).isEqualTo("one: HELLO\n");

      CliRun error = run("call", "--bus", busName, "--service-url", url, topic, "fail");
      assertThat(error.exitCode()).as(error.toString()).isEqualTo(PulsarRpcCli.EXIT_ERROR_REPLY);
      assertThat(error.err()).contains("error reply NOT_FOUND");

      CliRun all = run("call-all", "--bus", busName, "--service-url", url, topic, "hi");
      assertThat(all.out().lines()).as(all.toString()).first().isEqualTo("one: one: HI");
    }
  }

  @Test
  void callOverRedis(RedisTestServer redis) throws Exception {
    try (RedisMessageBus bus = RedisMessageBus.create(redis.url())) {
      assertCallsThrough(bus, "redis", redis.url());
    }
  }

  @Test
  void callOverNats(NatsTestServer nats) throws Exception {
    try (NatsMessageBus bus = NatsMessageBus.create(nats.url())) {
      assertCallsThrough(bus, "nats", nats.url());
    }
  }

  @Test
  void callWithoutServerOverNatsTimesOutWithThree(NatsTestServer nats) {
    CliRun run =
        run(
            "call",
            "--bus",
            "nats",
            "--service-url",
            nats.url(),
            "--timeout",
            "1s",
            newTopic(),
            "x");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(PulsarRpcCli.EXIT_NO_REPLY);
    assertThat(run.errLines()).hasSize(1);
  }
}

package io.pulsarrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.protobuf.ServiceNaming;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class DemoIT {

  @Test
  void everyStepOfTheDemoBehavesAsItSaysOverPulsar(PulsarTestBroker broker) throws Exception {
    try (PulsarMessageBus bus = PulsarMessageBus.create(broker.client())) {
      assertTheDemoSucceedsOver(bus);
    }
  }

  @Test
  void everyStepOfTheDemoBehavesAsItSaysOverRedis(RedisTestServer redis) throws Exception {
    try (RedisMessageBus bus = RedisMessageBus.create(redis.url())) {
      assertTheDemoSucceedsOver(bus);
    }
  }

  @Test
  void everyStepOfTheDemoBehavesAsItSaysOverNats(NatsTestServer nats) throws Exception {
    try (NatsMessageBus bus = NatsMessageBus.create(nats.url())) {
      assertTheDemoSucceedsOver(bus);
    }
  }

  @Test
  void everyStepOfTheDemoBehavesAsItSaysInMemory() throws Exception {
    try (InMemoryMessageBus bus = InMemoryMessageBus.create()) {
      assertTheDemoSucceedsOver(bus);
    }
  }

  private static void assertTheDemoSucceedsOver(MessageBus bus) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    // Topics of their own, so that a run never meets another's requests on a shared broker.
    ServiceNaming naming =
        ServiceNaming.defaults()
            .withPrefix("demo" + UUID.randomUUID().toString().substring(0, 8) + ".");

    boolean ok = new Demo(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(bus, naming);

    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(ok).as(output).isTrue();
    assertThat(output)
        .containsPattern("-> (eu: 12|us: 7) widgets in stock")
        .contains(
            "2 warehouses claimed the call, 2 answered:\n      eu: 12 widgets in stock\n      us: 7 widgets in stock")
        .containsPattern("not_found: \"(eu|us) has never heard of a sprocket\"")
        .contains("No reply to request call-5")
        .containsPattern("\\[(eu|us)\\] rolled back its work on call-5 \\(gizmo\\)")
        .contains("Demo finished: every step behaved as described.");
  }
}

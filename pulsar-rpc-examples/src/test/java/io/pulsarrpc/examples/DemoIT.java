package io.pulsarrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class DemoIT {

  @Test
  void everyStepOfTheDemoBehavesAsItSaysOverPulsar(PulsarTestBroker broker) throws Exception {
    try (PulsarMessageBus bus = PulsarMessageBus.create(broker.client())) {
      assertTheDemoSucceedsOver(bus, broker::newTopic);
    }
  }

  @Test
  void everyStepOfTheDemoBehavesAsItSaysOverRedis(RedisTestServer redis) throws Exception {
    try (RedisMessageBus bus = RedisMessageBus.create(redis.url())) {
      assertTheDemoSucceedsOver(bus, name -> name + "-" + System.nanoTime());
    }
  }

  @Test
  void everyStepOfTheDemoBehavesAsItSaysOverNats(NatsTestServer nats) throws Exception {
    try (NatsMessageBus bus = NatsMessageBus.create(nats.url())) {
      assertTheDemoSucceedsOver(bus, name -> name + "-" + System.nanoTime());
    }
  }

  @Test
  void everyStepOfTheDemoBehavesAsItSaysInMemory() throws Exception {
    try (InMemoryMessageBus bus = InMemoryMessageBus.create()) {
      assertTheDemoSucceedsOver(bus, name -> name + "-" + System.nanoTime());
    }
  }

  private static void assertTheDemoSucceedsOver(MessageBus bus, UnaryOperator<String> newTopic)
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    boolean ok =
        new Demo(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(bus, newTopic);

    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(ok).as(output).isTrue();
    assertThat(output)
        .contains("widgets in stock")
        .contains("2 servers claimed the call, 2 answered:")
        .contains("inventory-eu: \"inventory-eu: 12 widgets in stock\"")
        .contains("inventory-us: \"inventory-us: 7 widgets in stock\"")
        .containsPattern("not_found from inventory-(eu|us): \".* has never heard of a sprocket")
        .contains("No reply to request call-5")
        .contains("[inventory-eu] rolled back its work on call-5 (gizmo)")
        .contains("[inventory-us] rolled back its work on call-5 (gizmo)")
        .contains("Demo finished: every step behaved as described.");
  }
}

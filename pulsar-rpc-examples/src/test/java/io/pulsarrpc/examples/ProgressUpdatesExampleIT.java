package io.pulsarrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class ProgressUpdatesExampleIT {

  @Test
  void everyDashboardSeesEveryStepAndEachJobIsArchivedOnceOverPulsar(PulsarTestBroker broker)
      throws Exception {
    try (PulsarMessageBus bus = PulsarMessageBus.create(broker.client())) {
      assertTheExampleSucceedsOver(bus, broker::newTopic);
    }
  }

  @Test
  void everyDashboardSeesEveryStepAndEachJobIsArchivedOnceInMemory() throws Exception {
    try (InMemoryMessageBus bus = InMemoryMessageBus.create()) {
      assertTheExampleSucceedsOver(bus, name -> name + "-" + System.nanoTime());
    }
  }

  private static void assertTheExampleSucceedsOver(MessageBus bus, UnaryOperator<String> newTopic)
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    boolean ok =
        new ProgressUpdatesExample(new PrintStream(printed, true, StandardCharsets.UTF_8))
            .run(bus, newTopic);

    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(ok).as(output).isTrue();
    assertThat(output)
        .contains(
            "wall saw job-1: job-1 0%, job-1 20%, job-1 40%, job-1 60%, job-1 80%, job-1 100%")
        .contains("ops saw job-2: job-2 0%, job-2 20%")
        .contains("archived job-1")
        .contains("archived job-2")
        .contains("Every dashboard saw every step in order, and each job was archived once.");
  }
}

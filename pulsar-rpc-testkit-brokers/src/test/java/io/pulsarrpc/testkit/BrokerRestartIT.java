package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stops and crashes a broker of its own, so that the shared one stays up for other tests. */
class BrokerRestartIT {

  private static EmbeddedPulsarBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedPulsarBroker.builder().build();
    broker.start();
  }

  @AfterAll
  static void closeBroker() {
    if (broker != null) {
      broker.close();
      assertThat(broker.workDirectory()).doesNotExist();
    }
  }

  @Test
  void aMessagePublishedBeforeAStopIsConsumedAfterTheStart() throws Exception {
    String topic = broker.newTopic("stop-start");
    PulsarClient client = broker.client();
    try (Consumer<String> consumer = subscribe(client, topic)) {
      try (Producer<String> producer = client.newProducer(Schema.STRING).topic(topic).create()) {
        producer.send("kept");
      }

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.start();

      Message<String> message = consumer.receive(60, TimeUnit.SECONDS);
      assertThat(message).isNotNull();
      assertThat(message.getValue()).isEqualTo("kept");
      consumer.acknowledge(message);
    }
  }

  @Test
  void afterKillMinus9AndRestartTheSameClientGetsTheUnacknowledgedMessage() throws Exception {
    String topic = broker.newTopic("crash");
    PulsarClient client = broker.client();
    try (Consumer<String> consumer = subscribe(client, topic)) {
      try (Producer<String> producer = client.newProducer(Schema.STRING).topic(topic).create()) {
        producer.send("survives");
      }
      Message<String> beforeCrash = consumer.receive(30, TimeUnit.SECONDS);
      assertThat(beforeCrash).isNotNull();
      assertThat(beforeCrash.getValue()).isEqualTo("survives");
      long pid = broker.pid();

      broker.kill();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
      broker.start();

      // After kill -9 the restarted broker can wait a minute or more for its bookie to be usable
      // again ("Not enough non-faulty bookies"), seen on a busy two-core machine: give it time.
      long restartedAt = System.nanoTime();
      Message<String> redelivered = consumer.receive(180, TimeUnit.SECONDS);
      System.out.printf(
          "Redelivered %.1f s after the restart%n", (System.nanoTime() - restartedAt) / 1e9);
      assertThat(redelivered).isNotNull();
      assertThat(redelivered.getValue()).isEqualTo("survives");
      assertThat(redelivered.getMessageId()).isEqualTo(beforeCrash.getMessageId());
      consumer.acknowledge(redelivered);
    }
  }

  private static Consumer<String> subscribe(PulsarClient client, String topic) throws Exception {
    return client
        .newConsumer(Schema.STRING)
        .topic(topic)
        .subscriptionName("test")
        .subscriptionType(SubscriptionType.Shared)
        .subscribe();
  }
}

package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class SharedBrokerIT {

  private final PulsarTestBroker broker;

  SharedBrokerIT(PulsarTestBroker broker) {
    this.broker = broker;
  }

  @Test
  void theSameBrokerIsSharedByEveryTest(PulsarTestBroker injectedAgain) {
    assertThat(injectedAgain).isSameAs(broker);
    assertThat(broker.serviceUrl()).startsWith("pulsar://");
  }

  @Test
  void aMessageProducedThroughTheFixtureIsConsumed() throws Exception {
    String topic = broker.newTopic("round-trip");
    try (Consumer<String> consumer = subscribe(topic);
        Producer<String> producer =
            broker.client().newProducer(Schema.STRING).topic(topic).create()) {
      producer.newMessage().key("k1").value("hello").send();

      Message<String> message = consumer.receive(30, TimeUnit.SECONDS);

      assertThat(message).isNotNull();
      assertThat(message.getKey()).isEqualTo("k1");
      assertThat(message.getValue()).isEqualTo("hello");
      consumer.acknowledge(message);
    }
  }

  @Test
  void aDelayedMessageArrivesNoEarlierThanItsDelay() throws Exception {
    String topic = broker.newTopic("delayed");
    try (Consumer<String> consumer = subscribe(topic);
        Producer<String> producer =
            broker
                .client()
                .newProducer(Schema.STRING)
                .topic(topic)
                .enableBatching(false)
                .create()) {
      long sentAt = System.nanoTime();
      producer.newMessage().value("later").deliverAfter(2, TimeUnit.SECONDS).send();

      Message<String> message = consumer.receive(30, TimeUnit.SECONDS);
      Duration waited = Duration.ofNanos(System.nanoTime() - sentAt);

      assertThat(message).isNotNull();
      assertThat(message.getValue()).isEqualTo("later");
      assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      consumer.acknowledge(message);
    }
  }

  @Test
  void theAdminClientSeesTheTopicsOfTheTest() throws Exception {
    String topic = broker.newTopic("admin");
    broker.admin().topics().createNonPartitionedTopic(topic);

    assertThat(broker.admin().topics().getList("public/default")).contains(topic);
  }

  private Consumer<String> subscribe(String topic) throws Exception {
    // Delayed delivery needs a Shared (or Key_Shared) subscription.
    return broker
        .client()
        .newConsumer(Schema.STRING)
        .topic(topic)
        .subscriptionName("test")
        .subscriptionType(SubscriptionType.Shared)
        .subscribe();
  }
}

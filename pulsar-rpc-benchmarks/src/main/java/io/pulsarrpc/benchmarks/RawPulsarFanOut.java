package io.pulsarrpc.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionMode;
import org.apache.pulsar.client.api.SubscriptionType;

/**
 * One-way delivery on Pulsar with the native client: a producer with the RPC client's producer
 * settings publishes to a topic; each receiver is a consumer on a non-durable Exclusive
 * subscription of its own (what the SDK's temporary subscriptions are on Pulsar) that acknowledges
 * each message. Publisher and receivers use two clients, as two processes would.
 */
final class RawPulsarFanOut implements RawFanOut {

  private final byte[] payload;
  private final PendingAnswers pending = new PendingAnswers();
  private final Producer<byte[]> producer;
  private final List<Consumer<byte[]>> consumers = new ArrayList<>();

  RawPulsarFanOut(
      PulsarClient publisherClient,
      PulsarClient receiverClient,
      String topic,
      int receivers,
      Map<String, Object> producerConfig,
      byte[] payload)
      throws PulsarClientException {
    this.payload = payload;
    for (int i = 0; i < receivers; i++) {
      consumers.add(
          receiverClient
              .newConsumer(Schema.BYTES)
              .topic(topic)
              .subscriptionName("raw-receiver-" + i)
              .subscriptionType(SubscriptionType.Exclusive)
              .subscriptionMode(SubscriptionMode.NonDurable)
              .messageListener(
                  (consumer, message) -> {
                    consumer.acknowledgeAsync(message);
                    pending.answered(message.getKey());
                  })
              .subscribe());
    }
    this.producer =
        publisherClient.newProducer(Schema.BYTES).topic(topic).loadConf(producerConfig).create();
  }

  @Override
  public int receivers() {
    return consumers.size();
  }

  @Override
  public CompletableFuture<?> start(String id) {
    return pending.send(
        id, consumers.size(), () -> producer.newMessage().key(id).value(payload).sendAsync());
  }

  @Override
  public void close() {
    producer.closeAsync();
    consumers.forEach(Consumer::closeAsync);
  }
}

package io.pulsarrpc.examples;

import io.pulsarrpc.testkit.PulsarTestBroker;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;

/**
 * The README's demo: a real produce and consume round trip through a Pulsar broker, the one named
 * by {@code PULSAR_SERVICE_URL} or else an embedded one started by the testkit.
 */
public final class Demo {

  /**
   * The broker's libraries on the classpath make the OpenTelemetry API announce, through
   * java.util.logging, that it will not configure itself; a newcomer need not read that. Held in a
   * field because java.util.logging keeps loggers only weakly.
   */
  private static final Logger OPEN_TELEMETRY_LOG = Logger.getLogger("io.opentelemetry");

  private final PrintStream out;

  Demo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the demo and exits with status 0 when the message came back, 1 otherwise.
   *
   * @param args ignored
   */
  public static void main(String[] args) throws Exception {
    OPEN_TELEMETRY_LOG.setLevel(Level.WARNING);
    PrintStream out = System.out;
    out.println("pulsar-rpc demo");
    String external = System.getenv(PulsarTestBroker.SERVICE_URL_VARIABLE);
    if (external == null || external.isBlank()) {
      out.println(
          "Starting an embedded Pulsar broker (set "
              + PulsarTestBroker.SERVICE_URL_VARIABLE
              + " to use your own)...");
    } else {
      out.println("Using the broker at " + external);
    }
    long startedAt = System.nanoTime();
    boolean ok;
    try (PulsarTestBroker broker = PulsarTestBroker.startFromEnvironment()) {
      out.printf(
          "Broker ready at %s after %.1f s%n",
          broker.serviceUrl(), (System.nanoTime() - startedAt) / 1e9);
      ok = new Demo(out).run(broker);
    }
    if (!ok) {
      System.exit(1);
    }
  }

  /** Sends one message through the broker and reads it back; true when it came back intact. */
  boolean run(PulsarTestBroker broker) throws Exception {
    boolean ok = roundTrip(broker.client(), broker.newTopic("demo"));
    out.println(ok ? "Demo finished: the message came back." : "Demo FAILED.");
    return ok;
  }

  private boolean roundTrip(PulsarClient client, String topic) throws Exception {
    try (Consumer<String> consumer =
            client
                .newConsumer(Schema.STRING)
                .topic(topic)
                .subscriptionName("demo")
                .subscriptionType(SubscriptionType.Shared)
                .subscribe();
        Producer<String> producer = client.newProducer(Schema.STRING).topic(topic).create()) {
      String text = "hello from pulsar-rpc";
      long sentAt = System.nanoTime();
      MessageId id = producer.newMessage().key("demo-1").value(text).send();
      out.printf("Sent     \"%s\" with key demo-1 to %s (id %s)%n", text, topic, id);
      Message<String> message = consumer.receive(30, TimeUnit.SECONDS);
      if (message == null) {
        out.println("No message came back within 30 s.");
        return false;
      }
      consumer.acknowledge(message);
      out.printf(
          "Received \"%s\" with key %s after %.1f ms%n",
          message.getValue(), message.getKey(), (System.nanoTime() - sentAt) / 1e6);
      return text.equals(message.getValue()) && "demo-1".equals(message.getKey());
    }
  }
}

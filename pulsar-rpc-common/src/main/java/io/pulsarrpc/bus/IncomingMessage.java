package io.pulsarrpc.bus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;

/** A message received from a subscription. Its methods are safe to call from any thread. */
public interface IncomingMessage<T> {

  /** The topic the message was published to (for a pattern subscription, the matching topic). */
  String topic();

  /** The message key, or null. */
  String key();

  /** The message's string properties; never null. */
  Map<String, String> properties();

  /**
   * The decoded value.
   *
   * @throws MessageDecodeException when the bytes do not decode with the consumer's schema
   */
  T value();

  /** The raw bytes of the value; empty, never null, for a null value. */
  byte[] data();

  /** The message's id on the bus. */
  MessageId id();

  /** When the bus stored the message, in epoch milliseconds. */
  long publishTime();

  /** How often this message was delivered before (0 on first delivery). */
  int redeliveryCount();

  /** Acknowledges the message so it is not delivered again. */
  CompletableFuture<Void> acknowledge();

  /** Asks for the message to be delivered again, to this or another consumer, after a delay. */
  void negativeAcknowledge();

  /**
   * The message as Pulsar's {@link Message}: the broker's message on the Pulsar bus, a read-only
   * view of this message on other buses.
   */
  Message<T> asPulsarMessage();

  /** The Pulsar consumer that received the message on the Pulsar bus; null on other buses. */
  Consumer<T> pulsarConsumer();
}

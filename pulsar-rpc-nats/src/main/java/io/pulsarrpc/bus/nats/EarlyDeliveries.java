package io.pulsarrpc.bus.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, per subscription and message, how many deliveries of a delayed message came before its
 * time, so that those hidden deliveries do not count in {@link
 * io.pulsarrpc.bus.IncomingMessage#redeliveryCount()}.
 *
 * <p>A consumer that receives a message before its {@code deliverAt} does not hand it over: it
 * gives it back with a delayed negative acknowledgement, and JetStream counts that as a delivery.
 * Before giving it back, the consumer records the message's delivery count under the key {@code
 * <stream>.<durable>.<stream sequence>} of the bucket {@value
 * NatsMessageBus#EARLY_DELIVERIES_BUCKET}. Deliveries before the time all come before deliveries at
 * or after it, so the count recorded last is the number of hidden deliveries, and the redelivery
 * count is {@code deliveredCount - 1 - recorded}. The record is looked up only for a message with a
 * delivery time that was delivered more than once. Entries expire after the bucket's time-to-live
 * (the streams' {@code maxAge}).
 *
 * <p>Best effort: when the server cannot be reached, a record is missing and the count includes
 * hidden deliveries; so does a delivery that a consumer took and could not give back (it crashed),
 * which returns after the ack wait like any unacknowledged message. Thread-safe.
 */
final class EarlyDeliveries {

  private static final Logger log = LoggerFactory.getLogger(EarlyDeliveries.class);

  private final JetStreamProvisioner provisioner;
  private final BusSettings settings;

  EarlyDeliveries(JetStreamProvisioner provisioner, BusSettings settings) {
    this.provisioner = provisioner;
    this.settings = settings;
  }

  /** Records that delivery number {@code deliveredCount} of the message came before its time. */
  void record(String stream, String durable, long sequence, long deliveredCount) {
    try {
      bucket()
          .put(
              key(stream, durable, sequence),
              Long.toString(deliveredCount).getBytes(StandardCharsets.US_ASCII));
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.debug(
          "Could not record an early delivery of message {} of stream {} to {}: {}",
          sequence,
          stream,
          durable,
          e.toString());
    }
  }

  /** How many deliveries of the message came before its time, as recorded; 0 when unknown. */
  long hiddenDeliveries(String stream, String durable, long sequence) {
    try {
      KeyValueEntry entry = bucket().get(key(stream, durable, sequence));
      if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
        return 0;
      }
      return Long.parseLong(new String(entry.getValue(), StandardCharsets.US_ASCII));
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.debug(
          "Could not read the early deliveries of message {} of stream {} to {}: {}",
          sequence,
          stream,
          durable,
          e.toString());
      return 0;
    }
  }

  private KeyValue bucket() throws IOException, JetStreamApiException {
    return provisioner
        .bucket(
            NatsMessageBus.EARLY_DELIVERIES_BUCKET,
            settings.earlyDeliveryRecordTtl(),
            settings.operationTimeout(),
            "pulsar-rpc: deliveries of delayed messages before their time")
        .keyValue();
  }

  private static String key(String stream, String durable, long sequence) {
    return stream + "." + durable + "." + sequence;
  }
}

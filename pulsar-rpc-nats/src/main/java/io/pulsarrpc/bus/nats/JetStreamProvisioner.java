package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.pulsarrpc.bus.InitialPosition;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, on demand, the streams, durable consumers and key-value buckets a bus needs, and binds
 * pull subscriptions. Every method blocks on the NATS server (at most about the operation timeout
 * per request), so call them on the bus's worker threads. Thread-safe.
 *
 * <p>What exists already is used as it is: a stream or durable consumer created earlier (by another
 * bus instance with other settings, or by an operator) keeps its configuration. Only what cannot
 * work is refused: a stream that does not capture the topic's subject, a durable consumer that is
 * not a pull consumer with explicit acknowledgements.
 */
final class JetStreamProvisioner {

  private static final Logger log = LoggerFactory.getLogger(JetStreamProvisioner.class);

  // API error codes of the NATS server.
  static final int CONSUMER_NOT_FOUND = 10014;
  static final int STREAM_NAME_IN_USE = 10058;
  static final int STREAM_NOT_FOUND = 10059;
  static final int SUBJECTS_OVERLAP = 10065;
  static final int WRONG_LAST_SEQUENCE = 10071;

  /** A key-value bucket and the time-to-live of its entries as the server has it. */
  record Bucket(KeyValue keyValue, Duration ttl) {}

  private final Connection connection;
  private final BusSettings settings;
  private final JetStream jetStream;
  private final JetStreamManagement management;
  private final KeyValueManagement keyValueManagement;
  private final Map<String, StreamConfiguration> streams = new ConcurrentHashMap<>();
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  JetStreamProvisioner(Connection connection, BusSettings settings) throws IOException {
    this.connection = connection;
    this.settings = settings;
    JetStreamOptions options =
        JetStreamOptions.builder().requestTimeout(settings.operationTimeout()).build();
    this.jetStream = connection.jetStream(options);
    this.management = connection.jetStreamManagement(options);
    this.keyValueManagement =
        connection.keyValueManagement(KeyValueOptions.builder().jetStreamOptions(options).build());
  }

  JetStream jetStream() {
    return jetStream;
  }

  JetStreamManagement management() {
    return management;
  }

  /**
   * The configuration of the stream of {@code topic}, created with the bus's settings when it does
   * not exist. Remembered: the server is asked once per topic, until {@link #forgetStream}.
   *
   * @throws IllegalStateException when an existing stream does not capture the topic's subject, or
   *     another stream already captures it
   */
  StreamConfiguration ensureStream(String topic) throws IOException, JetStreamApiException {
    String name = NatsNames.streamName(topic);
    StreamConfiguration known = streams.get(name);
    if (known != null) {
      return known;
    }
    String subject = NatsNames.subject(topic);
    StreamConfiguration configuration = existingOrNewStream(topic, name, subject);
    if (!configuration.getSubjects().contains(subject)) {
      throw new IllegalStateException(
          "the NATS stream "
              + name
              + " of topic '"
              + topic
              + "' exists but does not capture its subject "
              + subject
              + " (it captures "
              + configuration.getSubjects()
              + "); delete or fix that stream");
    }
    streams.put(name, configuration);
    return configuration;
  }

  /** Asks the server again next time: the stream may have been deleted. */
  void forgetStream(String streamName) {
    streams.remove(streamName);
  }

  /**
   * Makes sure the durable consumer exists: creates it with the bus's settings and {@code position}
   * when it does not, otherwise leaves it as it is (its start position was fixed when it was
   * created).
   *
   * @throws IllegalStateException when an existing durable consumer of that name is not a pull
   *     consumer with explicit acknowledgements
   */
  void ensureDurable(
      String topic, String stream, String durable, String subscription, InitialPosition position)
      throws IOException, JetStreamApiException {
    ConsumerInfo info = consumerInfo(stream, durable);
    if (info == null) {
      ConsumerConfiguration configuration =
          pullConsumer()
              .durable(durable)
              .description("pulsar-rpc subscription " + subscription + " on topic " + topic)
              .deliverPolicy(
                  position == InitialPosition.EARLIEST ? DeliverPolicy.All : DeliverPolicy.New)
              .build();
      try {
        info = management.addOrUpdateConsumer(stream, configuration);
      } catch (JetStreamApiException e) {
        // Another bus created it at the same moment, with other settings: use theirs.
        info = consumerInfo(stream, durable);
        if (info == null) {
          throw e;
        }
      }
    }
    ConsumerConfiguration existing = info.getConsumerConfiguration();
    if (existing.getDeliverSubject() != null || existing.getAckPolicy() != AckPolicy.Explicit) {
      throw new IllegalStateException(
          "the durable consumer "
              + durable
              + " of NATS stream "
              + stream
              + " (subscription '"
              + subscription
              + "' on topic '"
              + topic
              + "') exists but is not a pull consumer with explicit acknowledgements;"
              + " it was not created by pulsar-rpc: delete it or choose another subscription name");
    }
  }

  /**
   * Creates the server-side consumer of a temporary subscription when it does not exist: a named
   * ephemeral pull consumer (no durable name) from new messages, which the server deletes once it
   * saw no pull for the bus's temporary inactive threshold. Returns whether it created it.
   */
  boolean ensureTemporary(String topic, String stream, String name, String subscription)
      throws IOException, JetStreamApiException {
    if (consumerInfo(stream, name) != null) {
      return false;
    }
    management.addOrUpdateConsumer(
        stream,
        pullConsumer()
            .name(name)
            .description("pulsar-rpc temporary subscription " + subscription + " on topic " + topic)
            .deliverPolicy(DeliverPolicy.New)
            .inactiveThreshold(settings.temporaryInactiveThreshold())
            .build());
    return true;
  }

  /**
   * What every consumer of the bus is: explicit acknowledgements within the ack wait, delivered
   * again without limit, at most {@code maxAckPending} unacknowledged.
   */
  private ConsumerConfiguration.Builder pullConsumer() {
    return ConsumerConfiguration.builder()
        .ackPolicy(AckPolicy.Explicit)
        .ackWait(settings.ackWait())
        .maxDeliver(-1)
        .maxAckPending(settings.maxAckPending());
  }

  /** Deletes a consumer; one that is gone already is fine. */
  void deleteConsumer(String stream, String name) throws IOException, JetStreamApiException {
    try {
      management.deleteConsumer(stream, name);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != CONSUMER_NOT_FOUND && e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** A pull subscription bound to the durable consumer, on no dispatcher: the caller pulls. */
  JetStreamSubscription bind(String stream, String durable)
      throws IOException, JetStreamApiException {
    return jetStream.subscribe(null, PullSubscribeOptions.fastBind(stream, durable));
  }

  /**
   * The key-value bucket {@code name}, created with {@code ttl} when it does not exist. An existing
   * bucket keeps its own time-to-live, which the result reports. Remembered, with the request
   * timeout of the first call.
   */
  Bucket bucket(String name, Duration ttl, Duration requestTimeout, String description)
      throws IOException, JetStreamApiException {
    Bucket known = buckets.get(name);
    if (known != null) {
      return known;
    }
    KeyValueStatus status = bucketStatus(name);
    if (status == null) {
      try {
        status =
            keyValueManagement.create(
                KeyValueConfiguration.builder()
                    .name(name)
                    .description(description)
                    .ttl(ttl)
                    .maxHistoryPerKey(1)
                    .storageType(settings.storage())
                    .replicas(settings.replicas())
                    .build());
      } catch (JetStreamApiException e) {
        status = bucketStatus(name);
        if (status == null) {
          throw e;
        }
      }
    }
    if (!status.getTtl().equals(ttl)) {
      log.debug(
          "NATS key-value bucket {} exists with a time-to-live of {}, not {}; using it as it is",
          name,
          status.getTtl(),
          ttl);
    }
    Bucket bucket = new Bucket(keyValue(name, requestTimeout), status.getTtl());
    buckets.put(name, bucket);
    return bucket;
  }

  /** The key-value bucket {@code name} when it exists, without creating it; else null. */
  KeyValue existingBucket(String name) throws IOException, JetStreamApiException {
    Bucket known = buckets.get(name);
    if (known != null) {
      return known.keyValue();
    }
    return bucketStatus(name) == null ? null : keyValue(name, settings.operationTimeout());
  }

  private KeyValue keyValue(String name, Duration requestTimeout) throws IOException {
    JetStreamOptions timeout = JetStreamOptions.builder().requestTimeout(requestTimeout).build();
    return connection.keyValue(name, KeyValueOptions.builder().jetStreamOptions(timeout).build());
  }

  private StreamConfiguration existingOrNewStream(String topic, String name, String subject)
      throws IOException, JetStreamApiException {
    StreamInfo info = streamInfo(name);
    if (info != null) {
      return info.getConfiguration();
    }
    StreamConfiguration.Builder builder =
        StreamConfiguration.builder()
            .name(name)
            .description("pulsar-rpc topic " + topic)
            .subjects(subject)
            .retentionPolicy(settings.retention())
            .storageType(settings.storage())
            .replicas(settings.replicas())
            .maxMessages(settings.maxMessages())
            .maxBytes(settings.maxBytes())
            // A full stream refuses the publish (the send fails) rather than dropping old messages.
            .discardPolicy(DiscardPolicy.New);
    if (!settings.maxAge().isZero()) {
      builder.maxAge(settings.maxAge());
    }
    try {
      return management.addStream(builder.build()).getConfiguration();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == SUBJECTS_OVERLAP) {
        throw new IllegalStateException(
            "cannot create the NATS stream "
                + name
                + " for topic '"
                + topic
                + "': another stream already captures its subject "
                + subject
                + " ("
                + e.getErrorDescription()
                + ")",
            e);
      }
      // Another bus created it at the same moment, perhaps with other settings: use theirs.
      info = streamInfo(name);
      if (info == null) {
        throw e;
      }
      return info.getConfiguration();
    }
  }

  private StreamInfo streamInfo(String name) throws IOException, JetStreamApiException {
    try {
      return management.getStreamInfo(name);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private ConsumerInfo consumerInfo(String stream, String durable)
      throws IOException, JetStreamApiException {
    try {
      return management.getConsumerInfo(stream, durable);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private KeyValueStatus bucketStatus(String name) throws IOException, JetStreamApiException {
    try {
      return keyValueManagement.getStatus(name);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }
}

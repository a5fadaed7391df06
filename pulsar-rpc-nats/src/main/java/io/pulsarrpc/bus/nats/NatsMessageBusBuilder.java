package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.TrustedCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of a {@link NatsMessageBus}. Set exactly one of {@link #url(String)} and {@link
 * #connection(Connection)}. Setters reject a bad value with {@link IllegalArgumentException};
 * {@link #build()} checks the settings together. Not thread-safe; {@link #build()} may be called
 * again.
 *
 * <p>The stream settings ({@link #maxAge}, {@link #maxMessages}, {@link #maxBytes}, {@link
 * #retention}, {@link #storage}, {@link #replicas}) apply to the streams and key-value buckets this
 * bus creates; existing ones keep theirs. The consumer settings ({@link #ackWait}, {@link
 * #maxAckPending}) apply to the durable consumers it creates.
 */
public final class NatsMessageBusBuilder {

  private static final Logger log = LoggerFactory.getLogger(NatsMessageBusBuilder.class);

  private String url;
  private Connection connection;
  private Path tlsTrustCertsFile;
  private NatsMode mode = NatsMode.JETSTREAM;
  private Duration ackWait = NatsMessageBus.DEFAULT_ACK_WAIT;
  private Duration negativeAckRedeliveryDelay =
      NatsMessageBus.DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY;
  private Duration maxAge = NatsMessageBus.DEFAULT_MAX_AGE;
  private long maxMessages = -1;
  private long maxBytes = -1;
  private RetentionPolicy retention = RetentionPolicy.Interest;
  private StorageType storage = StorageType.File;
  private int replicas = 1;
  private int maxAckPending = NatsMessageBus.DEFAULT_MAX_ACK_PENDING;
  private Duration exclusiveLeaseTtl = NatsMessageBus.DEFAULT_EXCLUSIVE_LEASE_TTL;
  private Duration temporaryInactiveThreshold = NatsMessageBus.DEFAULT_TEMPORARY_INACTIVE_THRESHOLD;
  private Duration operationTimeout = NatsMessageBus.DEFAULT_OPERATION_TIMEOUT;

  NatsMessageBusBuilder() {}

  /**
   * Connect to this URL (for example {@code nats://localhost:4222}; several separated by commas)
   * with jnats's defaults, reconnecting forever; the bus owns the connection. No default.
   *
   * @throws IllegalArgumentException when {@code url} is blank
   */
  public NatsMessageBusBuilder url(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url must not be blank");
    }
    this.url = url;
    return this;
  }

  /**
   * Use this connection, which the bus never closes. No default.
   *
   * @throws IllegalArgumentException when {@code connection} is null
   */
  public NatsMessageBusBuilder connection(Connection connection) {
    if (connection == null) {
      throw new IllegalArgumentException("connection must not be null");
    }
    this.connection = connection;
    return this;
  }

  /**
   * Connect to {@link #url(String)} over TLS, trusting the certificates in this PEM file instead of
   * the JVM's default trust store: the certificate authority of a server whose certificate no
   * public authority signed. Default: none; a {@code tls://} URL then trusts the JVM's trust store.
   * For a connection you manage ({@link #connection(Connection)}), give its {@code Options} an
   * {@code SSLContext} instead.
   *
   * @throws IllegalArgumentException when {@code pemFile} is null or not a readable file
   */
  public NatsMessageBusBuilder tlsTrustCertsFile(Path pemFile) {
    if (pemFile == null || !Files.isRegularFile(pemFile) || !Files.isReadable(pemFile)) {
      throw new IllegalArgumentException(
          "tlsTrustCertsFile must be a readable PEM file, got " + pemFile);
    }
    this.tlsTrustCertsFile = pemFile;
    return this;
  }

  /**
   * Whether messages are kept by JetStream ({@link NatsMode#JETSTREAM}, the default) or handed over
   * by core NATS ({@link NatsMode#CORE}: faster, but nothing is stored, nothing is delivered again,
   * and no delayed delivery). In core mode the stream and consumer settings do not apply, except
   * {@link #maxAckPending(int)}, and the server needs no JetStream.
   *
   * @throws IllegalArgumentException when {@code mode} is null
   */
  public NatsMessageBusBuilder mode(NatsMode mode) {
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    this.mode = mode;
    return this;
  }

  /**
   * How long the server waits for the acknowledgement of a delivered message before it delivers it
   * again. Default {@link NatsMessageBus#DEFAULT_ACK_WAIT} (30 s). Longer than the slowest handler,
   * or messages are processed twice.
   *
   * @throws IllegalArgumentException when {@code ackWait} is null or not positive
   */
  public NatsMessageBusBuilder ackWait(Duration ackWait) {
    this.ackWait = positive("ackWait", ackWait);
    return this;
  }

  /**
   * How long a negatively acknowledged message waits before it is delivered again. Default {@link
   * #DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY} (1 s); zero redelivers at once.
   *
   * @throws IllegalArgumentException when {@code delay} is null or negative
   */
  public NatsMessageBusBuilder negativeAckRedeliveryDelay(Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException(
          "negativeAckRedeliveryDelay must be zero or positive, got " + delay);
    }
    this.negativeAckRedeliveryDelay = delay;
    return this;
  }

  /**
   * How long a stream keeps a message at most, acknowledged or not. Default {@link
   * #DEFAULT_MAX_AGE} (7 days); zero keeps messages until acknowledged (or for ever, with {@link
   * RetentionPolicy#Limits}), which {@link #build()} allows only with {@link #maxMessages} or
   * {@link #maxBytes}. A delivery time further away is refused.
   *
   * @throws IllegalArgumentException when {@code maxAge} is null, negative, or positive and under
   *     one second
   */
  public NatsMessageBusBuilder maxAge(Duration maxAge) {
    if (maxAge == null
        || maxAge.isNegative()
        || (!maxAge.isZero() && maxAge.compareTo(Duration.ofSeconds(1)) < 0)) {
      throw new IllegalArgumentException(
          "maxAge must be zero (no limit) or at least one second, got " + maxAge);
    }
    this.maxAge = maxAge;
    return this;
  }

  /**
   * The most messages a stream holds; a full stream refuses publishes. Default -1: no limit.
   *
   * @throws IllegalArgumentException when {@code maxMessages} is neither -1 nor positive
   */
  public NatsMessageBusBuilder maxMessages(long maxMessages) {
    this.maxMessages = limit("maxMessages", maxMessages);
    return this;
  }

  /**
   * The most bytes a stream holds; a full stream refuses publishes. Default -1: no limit.
   *
   * @throws IllegalArgumentException when {@code maxBytes} is neither -1 nor positive
   */
  public NatsMessageBusBuilder maxBytes(long maxBytes) {
    this.maxBytes = limit("maxBytes", maxBytes);
    return this;
  }

  /**
   * When a stream deletes a message: {@link RetentionPolicy#Interest} (the default) once every
   * subscription acknowledged it, or {@link RetentionPolicy#Limits} only at the limits, so that a
   * new {@link InitialPosition#EARLIEST} subscription reads the topic's history. Always also at
   * {@link #maxAge}, {@link #maxMessages} and {@link #maxBytes}.
   *
   * @throws IllegalArgumentException for null or {@link RetentionPolicy#WorkQueue}, which allows
   *     only one subscription per topic
   */
  public NatsMessageBusBuilder retention(RetentionPolicy retention) {
    if (retention == null || retention == RetentionPolicy.WorkQueue) {
      throw new IllegalArgumentException(
          "retention must be Interest or Limits, got "
              + retention
              + " (WorkQueue allows one subscription per topic, so no fan-out)");
    }
    this.retention = retention;
    return this;
  }

  /**
   * Where streams and buckets keep messages. Default {@link StorageType#File}, which survives a
   * restart of the NATS server; with {@link StorageType#Memory} a restart loses every message,
   * delayed ones included.
   *
   * @throws IllegalArgumentException when {@code storage} is null
   */
  public NatsMessageBusBuilder storage(StorageType storage) {
    if (storage == null) {
      throw new IllegalArgumentException("storage must not be null");
    }
    this.storage = storage;
    return this;
  }

  /**
   * How many servers of a NATS cluster keep a copy of each stream and bucket. Default 1.
   *
   * @throws IllegalArgumentException when {@code replicas} is not between 1 and 5
   */
  public NatsMessageBusBuilder replicas(int replicas) {
    if (replicas < 1 || replicas > 5) {
      throw new IllegalArgumentException("replicas must be between 1 and 5, got " + replicas);
    }
    this.replicas = replicas;
    return this;
  }

  /**
   * How many messages of a subscription may be delivered and not yet acknowledged, delayed messages
   * waiting for their time included; beyond it the server delivers no new message to the
   * subscription. Default {@link NatsMessageBus#DEFAULT_MAX_ACK_PENDING} (100,000); make it larger
   * than the number of delayed messages a subscription may wait for at once. In {@link
   * NatsMode#CORE core mode}, the most messages a consumer holds for receives that have not come
   * yet; beyond it, messages are dropped, as NATS drops messages for a slow consumer.
   *
   * @throws IllegalArgumentException when {@code maxAckPending} is not positive
   */
  public NatsMessageBusBuilder maxAckPending(int maxAckPending) {
    if (maxAckPending < 1) {
      throw new IllegalArgumentException("maxAckPending must be positive, got " + maxAckPending);
    }
    this.maxAckPending = maxAckPending;
    return this;
  }

  /**
   * The time-to-live of the lease that makes a subscription exclusive: after a crash, its
   * subscription accepts a new consumer this long after the holder last renewed it. Default {@link
   * NatsMessageBus#DEFAULT_EXCLUSIVE_LEASE_TTL} (10 s). It is the time-to-live of the bucket
   * {@value #EXCLUSIVE_LEASES_BUCKET} when the bus creates it; every bus uses the time-to-live the
   * bucket has, so all buses of a NATS system share it.
   *
   * @throws IllegalArgumentException when {@code ttl} is null or under one second
   */
  public NatsMessageBusBuilder exclusiveLeaseTtl(Duration ttl) {
    if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "exclusiveLeaseTtl must be at least one second, got " + ttl);
    }
    this.exclusiveLeaseTtl = ttl;
    return this;
  }

  /**
   * How long the server keeps the consumer of a {@linkplain
   * io.pulsarrpc.bus.SubscriptionLifetime#TEMPORARY temporary subscription} (JetStream mode) once
   * it stopped pulling: its {@code inactive_threshold}. A consumer whose process died is deleted by
   * the server this long after its last pull, with what it had not consumed. A live consumer pulls
   * while a receive waits; one that nobody receives from for longer is deleted too, and made again
   * at the next receive, from the latest position. Default {@link
   * NatsMessageBus#DEFAULT_TEMPORARY_INACTIVE_THRESHOLD} (1 minute).
   *
   * @throws IllegalArgumentException when {@code threshold} is null or under one second
   */
  public NatsMessageBusBuilder temporaryInactiveThreshold(Duration threshold) {
    if (threshold == null || threshold.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "temporaryInactiveThreshold must be at least one second, got " + threshold);
    }
    this.temporaryInactiveThreshold = threshold;
    return this;
  }

  /**
   * How long one request to the server may take: a publish, a confirmed acknowledgement, a stream,
   * consumer or bucket operation. Default {@link NatsMessageBus#DEFAULT_OPERATION_TIMEOUT} (10 s).
   *
   * @throws IllegalArgumentException when {@code timeout} is null or not positive
   */
  public NatsMessageBusBuilder operationTimeout(Duration timeout) {
    this.operationTimeout = positive("operationTimeout", timeout);
    return this;
  }

  /**
   * A new bus with these settings; with {@link #url(String)}, on a new connection.
   *
   * @throws IllegalArgumentException when not exactly one of url and connection is set, the
   *     connection is closed, {@code tlsTrustCertsFile} is set with a connection or holds no
   *     certificate, streams would have no limit at all, or the URL is not a NATS URL
   * @throws UncheckedIOException when the server at the URL cannot be reached, or its TLS
   *     certificate is not trusted (the message says so)
   */
  public NatsMessageBus build() {
    List<String> problems = new ArrayList<>();
    if ((url == null) == (connection == null)) {
      problems.add(
          url == null
              ? "set url(...) or connection(...): where the NATS server is"
              : "set only one of url(...) and connection(...)");
    }
    if (tlsTrustCertsFile != null && connection != null) {
      problems.add(
          "tlsTrustCertsFile applies to the connection the bus opens from url(...); give your own"
              + " connection's Options an SSLContext instead");
    }
    if (connection != null && connection.getStatus() == Connection.Status.CLOSED) {
      problems.add("the connection is closed: pass an open one");
    }
    if (mode == NatsMode.JETSTREAM && maxAge.isZero() && maxMessages < 0 && maxBytes < 0) {
      problems.add(
          "maxAge is zero and neither maxMessages nor maxBytes is set: streams would grow"
              + " without bound; set one of them");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid NatsMessageBus settings: " + String.join("; ", problems));
    }
    BusSettings settings =
        new BusSettings(
            mode,
            ackWait,
            negativeAckRedeliveryDelay,
            maxAge,
            maxMessages,
            maxBytes,
            retention,
            storage,
            replicas,
            maxAckPending,
            exclusiveLeaseTtl,
            temporaryInactiveThreshold,
            operationTimeout);
    if (connection != null) {
      try {
        return NatsMessageBus.open(connection, false, settings);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot use JetStream on the connection: " + e, e);
      }
    }
    Connection own = connect(url, tlsTrustCertsFile);
    try {
      return NatsMessageBus.open(own, true, settings);
    } catch (IOException | RuntimeException e) {
      closeQuietly(own);
      throw e instanceof IOException io
          ? new UncheckedIOException("cannot use JetStream at " + url + ": " + e, io)
          : (RuntimeException) e;
    }
  }

  private static Connection connect(String url, Path tlsTrustCertsFile) {
    SSLContext trusting =
        tlsTrustCertsFile == null ? null : TrustedCertificates.sslContext(tlsTrustCertsFile);
    ConnectFailureRecorder failures = new ConnectFailureRecorder();
    Options options;
    try {
      Options.Builder builder =
          Options.builder()
              .server(url)
              .connectionName("pulsar-rpc")
              .errorListener(failures)
              // Like the Pulsar client: keep trying, a server restart must not end the bus.
              .maxReconnects(-1);
      if (trusting != null) {
        builder.sslContext(trusting);
      }
      options = builder.build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + url + "' is not a NATS URL: " + e.getMessage(), e);
    }
    try {
      return Nats.connect(options);
    } catch (IOException e) {
      Exception reason = failures.last();
      UncheckedIOException failure =
          new UncheckedIOException(
              "cannot connect to NATS at "
                  + url
                  + ": "
                  + e.getMessage()
                  + (reason == null ? "" : ": " + Failures.describe(reason)),
              e);
      if (reason != null) {
        failure.addSuppressed(reason);
      }
      throw failure;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("Could not close the NATS connection: {}", e.toString());
    }
  }

  private static Duration positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static long limit(String name, long value) {
    if (value != -1 && value < 1) {
      throw new IllegalArgumentException(name + " must be -1 (no limit) or positive, got " + value);
    }
    return value;
  }
}

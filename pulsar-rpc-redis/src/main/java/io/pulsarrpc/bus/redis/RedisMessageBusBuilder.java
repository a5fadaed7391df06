package io.pulsarrpc.bus.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of a {@link RedisMessageBus}: where Redis is (a URL, or a client you manage) and how the
 * bus paces its work. Setters reject a bad value with {@link IllegalArgumentException}; {@link
 * #build()} checks the settings against each other. Not thread-safe; {@link #build()} may be called
 * again. Get one from {@link RedisMessageBus#builder()}.
 */
public final class RedisMessageBusBuilder {

  private String redisUrl;
  private RedisClient client;
  private Path tlsTrustCertsFile;
  private Duration claimIdleTime = RedisMessageBus.DEFAULT_CLAIM_IDLE_TIME;
  private long maxStreamLength = RedisMessageBus.DEFAULT_MAX_STREAM_LENGTH;
  private Duration pollInterval = RedisMessageBus.DEFAULT_POLL_INTERVAL;
  private Duration consumerLease = RedisMessageBus.DEFAULT_CONSUMER_LEASE;
  private Duration negativeAckRedeliveryDelay =
      RedisMessageBus.DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY;

  RedisMessageBusBuilder() {}

  /**
   * The Redis to connect to, for a client the bus creates, owns and shuts down (see {@link
   * RedisMessageBus#create(String)}). Set this or {@link #client(RedisClient)}.
   *
   * @throws IllegalArgumentException when {@code redisUrl} is blank or not a Redis URL
   */
  public RedisMessageBusBuilder redisUrl(String redisUrl) {
    if (redisUrl == null || redisUrl.isBlank()) {
      throw new IllegalArgumentException("redisUrl must not be blank");
    }
    try {
      RedisURI.create(redisUrl);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "redisUrl '" + redisUrl + "' is not a Redis URL: " + e.getMessage(), e);
    }
    this.redisUrl = redisUrl;
    return this;
  }

  /**
   * A client you manage, which the bus uses but never shuts down (see {@link
   * RedisMessageBus#create(RedisClient)}). Set this or {@link #redisUrl(String)}.
   *
   * @throws IllegalArgumentException when {@code client} is null
   */
  public RedisMessageBusBuilder client(RedisClient client) {
    if (client == null) {
      throw new IllegalArgumentException("client must not be null");
    }
    this.client = client;
    return this;
  }

  /**
   * The certificates (a PEM file) that the client the bus creates from a {@code rediss://} {@link
   * #redisUrl(String)} trusts, instead of the JVM's default trust store: the certificate authority
   * of a server whose certificate no public authority signed. Lettuce still checks that the
   * certificate names the URL's host. Default: none, the JVM's trust store. For a client you manage
   * ({@link #client(RedisClient)}), set Lettuce's {@code SslOptions} on it instead.
   *
   * @throws IllegalArgumentException when {@code pemFile} is null or not a readable file
   */
  public RedisMessageBusBuilder tlsTrustCertsFile(Path pemFile) {
    if (pemFile == null || !Files.isRegularFile(pemFile) || !Files.isReadable(pemFile)) {
      throw new IllegalArgumentException(
          "tlsTrustCertsFile must be a readable PEM file, got " + pemFile);
    }
    this.tlsTrustCertsFile = pemFile;
    return this;
  }

  /**
   * How long an entry must sit unacknowledged in the pending list of a consumer that stopped
   * renewing it (crashed, or cut off from Redis) before another consumer claims it. Default {@link
   * RedisMessageBus#DEFAULT_CLAIM_IDLE_TIME} (30 s). Shorter recovers faster from a crash; live
   * consumers renew their entries every third of it, so it must comfortably exceed how long a
   * heartbeat can be held up (a GC pause, a slow network).
   *
   * @throws IllegalArgumentException when null or shorter than 100 ms
   */
  public RedisMessageBusBuilder claimIdleTime(Duration claimIdleTime) {
    this.claimIdleTime = atLeast("claimIdleTime", claimIdleTime, Duration.ofMillis(100));
    return this;
  }

  /**
   * The cap on each stream's length: every XADD trims with {@code MAXLEN ~ maxStreamLength}, so a
   * stream holds about that many entries at most (a little more, as Redis trims whole nodes).
   * Default {@link RedisMessageBus#DEFAULT_MAX_STREAM_LENGTH} (100 000). Trimming by this cap
   * ignores acknowledgements: see "Trimming" in docs/protocol.md. A producer may set its own with
   * the producer config key {@code maxLen}.
   *
   * @throws IllegalArgumentException when less than 1
   */
  public RedisMessageBusBuilder maxStreamLength(long maxStreamLength) {
    if (maxStreamLength < 1) {
      throw new IllegalArgumentException(
          "maxStreamLength must be at least 1, got " + maxStreamLength);
    }
    this.maxStreamLength = maxStreamLength;
    return this;
  }

  /**
   * How often the bus moves due delayed entries to their streams: a delayed message arrives up to
   * this late. Default {@link RedisMessageBus#DEFAULT_POLL_INTERVAL} (100 ms); each poll is one
   * script call.
   *
   * @throws IllegalArgumentException when null, not positive, or longer than a minute
   */
  public RedisMessageBusBuilder pollInterval(Duration pollInterval) {
    if (pollInterval == null
        || pollInterval.isNegative()
        || pollInterval.isZero()
        || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "pollInterval must be positive and at most a minute, got " + pollInterval);
    }
    this.pollInterval = pollInterval;
    return this;
  }

  /**
   * How long a consumer that stops renewing (crashed, or cut off from Redis) stays a member of its
   * subscription: an exclusive subscription whose consumer crashed accepts a new one after this.
   * Consumers renew every third of it. Default {@link RedisMessageBus#DEFAULT_CONSUMER_LEASE} (10
   * s).
   *
   * @throws IllegalArgumentException when null or shorter than 100 ms
   */
  public RedisMessageBusBuilder consumerLease(Duration consumerLease) {
    this.consumerLease = atLeast("consumerLease", consumerLease, Duration.ofMillis(100));
    return this;
  }

  /**
   * How long a negatively acknowledged message waits before it is delivered again. Default {@link
   * RedisMessageBus#DEFAULT_NEGATIVE_ACK_REDELIVERY_DELAY} (1 s); zero redelivers at once.
   *
   * @throws IllegalArgumentException when null or negative
   */
  public RedisMessageBusBuilder negativeAckRedeliveryDelay(Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException(
          "negativeAckRedeliveryDelay must be zero or positive, got " + delay);
    }
    this.negativeAckRedeliveryDelay = delay;
    return this;
  }

  /**
   * A new bus with these settings. With {@link #redisUrl(String)}, it creates a Lettuce client for
   * that URL with command timeouts enabled; it connects in the background.
   *
   * @throws IllegalArgumentException when neither or both of {@code redisUrl} and {@code client}
   *     are set, when {@code tlsTrustCertsFile} is set without a {@code rediss://} {@code
   *     redisUrl}, or when {@code pollInterval} is not shorter than {@code claimIdleTime} and
   *     {@code consumerLease}
   */
  public RedisMessageBus build() {
    if ((redisUrl == null) == (client == null)) {
      throw new IllegalArgumentException(
          redisUrl == null
              ? "set redisUrl or client: the bus needs to know which Redis to use"
              : "set only one of redisUrl and client: a bus uses one Redis client");
    }
    if (tlsTrustCertsFile != null && (redisUrl == null || !RedisURI.create(redisUrl).isSsl())) {
      throw new IllegalArgumentException(
          redisUrl == null
              ? "tlsTrustCertsFile applies to the client the bus creates from redisUrl; set"
                  + " Lettuce's SslOptions on your own client instead"
              : "tlsTrustCertsFile is set but redisUrl '"
                  + redisUrl
                  + "' does not use TLS; use a rediss:// URL");
    }
    for (Map.Entry<String, Duration> setting :
        Map.of("claimIdleTime", claimIdleTime, "consumerLease", consumerLease).entrySet()) {
      if (pollInterval.compareTo(setting.getValue()) >= 0) {
        throw new IllegalArgumentException(
            "pollInterval ("
                + pollInterval
                + ") must be shorter than "
                + setting.getKey()
                + " ("
                + setting.getValue()
                + "); shorten pollInterval or lengthen "
                + setting.getKey());
      }
    }
    BusSettings settings =
        new BusSettings(
            claimIdleTime,
            maxStreamLength,
            pollInterval,
            consumerLease,
            negativeAckRedeliveryDelay);
    if (client != null) {
      return new RedisMessageBus(settings, client, false);
    }
    RedisClient owned = RedisClient.create(redisUrl);
    ClientOptions.Builder options =
        ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled());
    if (tlsTrustCertsFile != null) {
      options.sslOptions(SslOptions.builder().trustManager(tlsTrustCertsFile.toFile()).build());
    }
    owned.setOptions(options.build());
    return new RedisMessageBus(settings, owned, true);
  }

  private static Duration atLeast(String name, Duration value, Duration minimum) {
    if (value == null || value.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          name + " must be at least " + minimum.toMillis() + " ms, got " + value);
    }
    return value;
  }
}

package io.pulsarrpc.benchmarks;

import io.lettuce.core.RedisClient;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.bus.nats.NatsMode;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.protobuf.ServiceNaming;
import io.pulsarrpc.server.DeduplicationStore;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.RedisTestServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

/**
 * One bus as the benchmark uses it: a bus for the RPC client and one for the RPC server (separate
 * connections, as two processes would have, except in memory), fresh topic names, and the raw round
 * trip that is the baseline of the RPC scenarios. Closing it closes what it started.
 */
abstract class BusEnvironment implements AutoCloseable {

  private final String bus;
  private final String config;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private MessageBus clientBus;
  private MessageBus serverBus;

  BusEnvironment(String bus, String config) {
    this.bus = bus;
    this.config = config;
  }

  final String bus() {
    return bus;
  }

  /** The configuration this environment runs, e.g. {@code delay=0ms}. */
  final String config() {
    return config;
  }

  /**
   * Whether a request the server does not take yet waits for it. Default true; false on
   * non-persistent Pulsar topics, where the broker drops what a consumer has no room for.
   */
  boolean keepsRequestsTheServerCannotTakeYet() {
    return true;
  }

  /** The bus of the RPC client. */
  final MessageBus clientBus() {
    return clientBus;
  }

  /** The bus of the RPC server (another connection than the client's, except in memory). */
  final MessageBus serverBus() {
    return serverBus;
  }

  /** Sets the two buses, once, from a subclass's constructor; both are closed with it. */
  final void useBuses(MessageBus client, MessageBus server) {
    this.clientBus = closeLater(client);
    this.serverBus = client == server ? server : closeLater(server);
  }

  /** A topic name no other call returns. */
  String topic(String name) {
    return "bench-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * The topic names of a generated service that no other call returns: the service rule with a
   * prefix of its own.
   */
  ServiceNaming naming(String name) {
    return ServiceNaming.defaults().withPrefix(topic(name) + ".");
  }

  /** The name of the raw scenario's rows: {@code raw}, unless the baseline is of another kind. */
  String rawScenario() {
    return "raw";
  }

  /** Settings of the RPC request and reply producers, as of the raw producers (Pulsar only). */
  Map<String, Object> requestProducerConfig() {
    return Map.of();
  }

  /**
   * A deduplication store that servers in other processes could share, on a fresh topic, or empty
   * when the bus has none. The caller closes it.
   */
  Optional<DeduplicationStore> openSharedDeduplicationStore() throws Exception {
    return Optional.empty();
  }

  /** A raw round trip over fresh topics. */
  abstract RawRoundTrip openRaw(String name, byte[] payload) throws Exception;

  /**
   * Raw one-way delivery to {@code receivers} consumers over a fresh topic: through the bus SPI
   * (the client's bus publishes, the server's receives) unless the bus overrides it with its native
   * client.
   */
  RawFanOut openRawFanOut(String name, int receivers, byte[] payload) throws Exception {
    return new RawBusFanOut(clientBus(), serverBus(), topic(name), receivers, payload);
  }

  /** Closed by {@link #close()}, last registered first. */
  final <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(0, resource);
    return resource;
  }

  @Override
  public void close() {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("Closing " + resource + " failed: " + e);
      }
    }
  }

  /**
   * Pulsar: the broker at {@code serviceUrl}, or else a fresh embedded broker with {@code
   * managedLedgerNewEntriesCheckDelayInMillis=delayMs} and the other settings; request and reply
   * topics of {@code domain} ({@code persistent} or {@code non-persistent}); the raw round trip as
   * {@code rawPulsar} says.
   */
  static BusEnvironment pulsar(
      String serviceUrl,
      int delayMs,
      String domain,
      Map<String, String> brokerSettings,
      Map<String, Object> producerConfig,
      RawPulsarSettings rawPulsar,
      PrintStream out)
      throws PulsarClientException {
    String url = serviceUrl;
    EmbeddedPulsarBroker broker = null;
    if (url == null) {
      out.printf(
          "Starting an embedded Pulsar broker with managedLedgerNewEntriesCheckDelayInMillis=%d %s%n",
          delayMs, brokerSettings.isEmpty() ? "" : brokerSettings.toString());
      long started = System.nanoTime();
      broker =
          EmbeddedPulsarBroker.builder()
              .brokerSettings(brokerSettings)
              .brokerSetting("managedLedgerNewEntriesCheckDelayInMillis", Integer.toString(delayMs))
              .build();
      try {
        broker.start();
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      out.printf(
          "Broker ready at %s after %.1f s%n",
          broker.serviceUrl(), (System.nanoTime() - started) / 1e9);
      url = broker.serviceUrl();
    }
    String config = serviceUrl == null ? "delay=" + delayMs + "ms" : "external";
    if (!domain.equals("persistent")) {
      config += "," + domain;
    }
    config += rawPulsar.label();
    return new PulsarEnvironment(config, url, domain, broker, producerConfig, rawPulsar);
  }

  static BusEnvironment memory() {
    return new MemoryEnvironment();
  }

  static BusEnvironment redis(String redisUrl, PrintStream out) {
    return new RedisEnvironment(redisUrl, out);
  }

  /** NATS: JetStream, or core NATS when {@code core}. */
  static BusEnvironment nats(String natsUrl, boolean core, PrintStream out) {
    return new NatsEnvironment(natsUrl, core, out);
  }

  private static final class PulsarEnvironment extends BusEnvironment {
    private final PulsarClient callerClient;
    private final PulsarClient responderClient;
    private final Map<String, Object> producerConfig;
    private final RawPulsarSettings rawPulsar;
    private final String domain;

    PulsarEnvironment(
        String config,
        String url,
        String domain,
        EmbeddedPulsarBroker broker,
        Map<String, Object> producerConfig,
        RawPulsarSettings rawPulsar)
        throws PulsarClientException {
      super("pulsar", config);
      this.producerConfig = producerConfig;
      this.rawPulsar = rawPulsar;
      this.domain = domain;
      if (broker != null) {
        closeLater(broker);
      }
      this.callerClient = closeLater(PulsarClient.builder().serviceUrl(url).build());
      this.responderClient = closeLater(PulsarClient.builder().serviceUrl(url).build());
      useBuses(PulsarMessageBus.create(callerClient), PulsarMessageBus.create(responderClient));
    }

    @Override
    String topic(String name) {
      return domain + "://public/default/" + super.topic(name);
    }

    @Override
    ServiceNaming naming(String name) {
      return ServiceNaming.defaults().withDomain(domain).withPrefix(super.topic(name) + ".");
    }

    @Override
    boolean keepsRequestsTheServerCannotTakeYet() {
      return !domain.equals("non-persistent");
    }

    @Override
    Map<String, Object> requestProducerConfig() {
      return producerConfig;
    }

    @Override
    Optional<DeduplicationStore> openSharedDeduplicationStore() throws Exception {
      // The store must outlive a restart of the broker, whatever the domain of the RPC topics.
      return Optional.of(
          DeduplicationStore.pulsarTopic(
              responderClient, "persistent://public/default/" + super.topic("replies-sent")));
    }

    @Override
    RawRoundTrip openRaw(String name, byte[] payload) throws Exception {
      return new RawPulsarRoundTrip(
          callerClient,
          responderClient,
          topic(name + "-requests"),
          topic(name + "-replies"),
          producerConfig,
          rawPulsar,
          payload);
    }

    @Override
    RawFanOut openRawFanOut(String name, int receivers, byte[] payload) throws Exception {
      return new RawPulsarFanOut(
          callerClient, responderClient, topic(name), receivers, producerConfig, payload);
    }
  }

  private static final class MemoryEnvironment extends BusEnvironment {
    private final InMemoryMessageBus bus;

    MemoryEnvironment() {
      super("memory", "default");
      this.bus = InMemoryMessageBus.create();
      useBuses(bus, bus);
    }

    @Override
    RawRoundTrip openRaw(String name, byte[] payload) throws Exception {
      return new RawBusRoundTrip(bus, topic(name + "-requests"), topic(name + "-replies"), payload);
    }
  }

  private static final class RedisEnvironment extends BusEnvironment {
    private final RedisClient rawCallerClient;
    private final RedisClient rawResponderClient;

    RedisEnvironment(String redisUrl, PrintStream out) {
      super("redis", "default");
      String url = redisUrl;
      if (url == null) {
        RedisTestServer server = closeLater(RedisTestServer.startFromEnvironment());
        url = server.url();
      }
      out.println("Using Redis at " + url);
      // Two clients, as for Pulsar: the caller and the responder of the raw round trip each have
      // their own I/O threads, like the two buses of the RPC client and server.
      this.rawCallerClient = RedisClient.create(url);
      closeLater(rawCallerClient::shutdown);
      this.rawResponderClient = RedisClient.create(url);
      closeLater(rawResponderClient::shutdown);
      useBuses(RedisMessageBus.create(url), RedisMessageBus.create(url));
    }

    @Override
    RawRoundTrip openRaw(String name, byte[] payload) {
      return new RawRedisRoundTrip(rawCallerClient, rawResponderClient, topic(name), payload);
    }
  }

  private static final class NatsEnvironment extends BusEnvironment {
    private final String url;
    private final boolean core;

    NatsEnvironment(String natsUrl, boolean core, PrintStream out) {
      super("nats", core ? "core" : "jetstream");
      this.core = core;
      String resolved = natsUrl;
      if (resolved == null) {
        NatsTestServer server = closeLater(NatsTestServer.startFromEnvironment());
        resolved = server.url();
      }
      out.println("Using NATS at " + resolved);
      this.url = resolved;
      useBuses(newBus(), newBus());
    }

    private NatsMessageBus newBus() {
      return NatsMessageBus.builder()
          .url(url)
          .mode(core ? NatsMode.CORE : NatsMode.JETSTREAM)
          .build();
    }

    @Override
    String rawScenario() {
      return core ? "raw" : "raw-jetstream";
    }

    @Override
    RawRoundTrip openRaw(String name, byte[] payload) throws Exception {
      return core
          ? new RawNatsRequest(url, topic(name), payload)
          : new RawJetStreamRoundTrip(url, topic(name), payload);
    }
  }
}

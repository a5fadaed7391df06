package io.pulsarrpc.examples;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.RedisTestServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The bus an example runs over, with what it started for it, closed together. */
final class DemoBus implements AutoCloseable {

  static final List<String> NAMES = List.of("pulsar", "redis", "nats", "memory");

  private final MessageBus bus;
  private final PulsarTestBroker broker;
  private final List<AutoCloseable> started;

  private DemoBus(MessageBus bus, PulsarTestBroker broker, List<AutoCloseable> started) {
    this.bus = bus;
    this.broker = broker;
    this.started = started;
  }

  /**
   * The bus named by {@code --bus NAME} in {@code args}, or {@code pulsar}.
   *
   * @throws IllegalArgumentException with a usage message for anything else
   */
  static String nameFromArguments(String[] args) {
    if (args.length == 0) {
      return "pulsar";
    }
    if (args.length == 2 && args[0].equals("--bus") && NAMES.contains(args[1])) {
      return args[1];
    }
    throw new IllegalArgumentException(
        "Usage: --bus "
            + String.join("|", NAMES)
            + " (default pulsar); got "
            + String.join(" ", args));
  }

  /**
   * The bus named by {@code args} as {@link #nameFromArguments} reads it; on a usage error, prints
   * the usage and exits with status 2.
   */
  static String nameFromArgumentsOrExit(String[] args) {
    try {
      return nameFromArguments(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      throw e;
    }
  }

  /** Opens the bus called {@code name}, starting what it needs, and says so on {@code out}. */
  static DemoBus open(String name, PrintStream out) {
    List<AutoCloseable> started = new ArrayList<>();
    switch (name) {
      case "memory" -> {
        out.println("Using the in-memory bus (one JVM, same semantics as a broker)");
        InMemoryMessageBus memory = InMemoryMessageBus.create();
        started.add(memory);
        return new DemoBus(memory, null, started);
      }
      case "pulsar" -> {
        String external = System.getenv(PulsarTestBroker.SERVICE_URL_VARIABLE);
        out.println(
            external == null || external.isBlank()
                ? "Starting an embedded Pulsar broker (set "
                    + PulsarTestBroker.SERVICE_URL_VARIABLE
                    + " to use your own)..."
                : "Using the Pulsar broker at " + external);
        long startedAt = System.nanoTime();
        PulsarTestBroker broker = PulsarTestBroker.startFromEnvironment();
        started.add(broker);
        out.printf(
            "Broker ready at %s after %.1f s%n",
            broker.serviceUrl(), (System.nanoTime() - startedAt) / 1e9);
        PulsarMessageBus pulsar = PulsarMessageBus.create(broker.client());
        started.add(0, pulsar);
        return new DemoBus(pulsar, broker, started);
      }
      case "redis" -> {
        RedisTestServer redis = RedisTestServer.startFromEnvironment();
        started.add(redis);
        out.println("Using Redis at " + redis.url() + " (set REDIS_URL to use your own)");
        RedisMessageBus bus = RedisMessageBus.create(redis.url());
        started.add(0, bus);
        return new DemoBus(bus, null, started);
      }
      case "nats" -> {
        NatsTestServer nats = NatsTestServer.startFromEnvironment();
        started.add(nats);
        out.println("Using NATS at " + nats.url() + " (set NATS_URL to use your own)");
        NatsMessageBus bus = NatsMessageBus.create(nats.url());
        started.add(0, bus);
        return new DemoBus(bus, null, started);
      }
      default -> throw new IllegalArgumentException("unknown bus " + name);
    }
  }

  MessageBus bus() {
    return bus;
  }

  /** The Pulsar broker's service URL; only for the {@code pulsar} bus. */
  String serviceUrl() {
    if (broker == null) {
      throw new IllegalStateException("only the pulsar bus has a service URL");
    }
    return broker.serviceUrl();
  }

  /** A topic name for this run: unique, and in Pulsar's default namespace on Pulsar. */
  String newTopic(String name) {
    return broker != null
        ? broker.newTopic(name)
        : name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable resource : started) {
      resource.close();
    }
  }
}

package io.pulsarrpc.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's command line, parsed and validated. Every problem is an {@link
 * IllegalArgumentException} whose message names the option and what it accepts.
 */
record BenchmarkOptions(
    List<String> buses,
    Set<String> scenarios,
    String serviceUrl,
    List<Integer> entriesCheckDelaysMs,
    List<String> topicDomains,
    Map<String, String> brokerSettings,
    String redisUrl,
    String natsUrl,
    List<String> natsModes,
    Duration warmUp,
    Duration duration,
    int rounds,
    int rawRounds,
    int payloadBytes,
    List<Integer> inFlight,
    int workInFlight,
    Duration work,
    int heapCalls,
    Map<String, Object> producerConfig,
    RawPulsarSettings rawPulsar,
    Path output) {

  static final List<String> BUSES = List.of("pulsar", "memory", "redis", "nats");
  static final List<String> TOPIC_DOMAINS = List.of("persistent", "non-persistent");
  static final List<String> NATS_MODES = List.of("jetstream", "core");
  static final List<String> RAW_PROPERTIES = List.of("none", "rpc");
  static final List<String> SCENARIOS =
      List.of(
          "raw",
          "rpc-sync",
          "rpc-async",
          "rpc-generated-sync",
          "rpc-generated-async",
          "rpc-work",
          "rpc-dedup",
          "rpc-dedup-shared",
          "rpc-multi",
          "rpc-affinity",
          "stream",
          "broadcast",
          "heap");

  /** The longest warm-up or measurement one scenario may ask for: keeps every run bounded. */
  static final Duration MAX_PHASE = Duration.ofMinutes(5);

  static final String USAGE =
      """
      Usage: BenchmarkMain [options]
        --bus LIST                  buses to run, of pulsar,memory,redis,nats (default: all)
        --scenarios LIST            of raw,rpc-sync,rpc-async,rpc-generated-sync,
                                    rpc-generated-async,rpc-work,rpc-dedup,
                                    rpc-dedup-shared,rpc-multi,rpc-affinity,stream,
                                    broadcast,heap
                                    (default: all); raw is the
                                    baseline of the bus (on the NATS JetStream bus the
                                    raw-jetstream round trip, on core NATS the request
                                    of jnats); rpc-dedup runs
                                    at the work depth with the server's in-memory
                                    deduplication window, rpc-dedup-shared (Pulsar only)
                                    with the store shared through a Pulsar topic;
                                    rpc-generated-sync and -async: rpc-sync and
                                    rpc-async through the generated client of a
                                    one-method .proto service, measured in turns
                                    with its hand-written twin (rpc-protobuf-sync
                                    and -async: the same message and schema);
                                    rpc-multi: multi-calls answered by 3 server groups,
                                    at 1 and the --in-flight depths; rpc-affinity:
                                    affinity calls among 3 servers, 1 in flight;
                                    stream: messages through one stream one way
                                    and both ways, a window (256) in flight per
                                    direction, after raw one-way delivery;
                                    broadcast: updates to 3 broadcast subscribers,
                                    64 in flight, after raw delivery to 3
                                    consumers
        --service-url URL           a Pulsar broker to use (default: an embedded broker per
                                    --entries-check-delay-ms value)
        --entries-check-delay-ms L  managedLedgerNewEntriesCheckDelayInMillis of the embedded
                                    broker, one fresh broker per value (default: 10,0)
        --topic-domain LIST         Pulsar topics of persistent,non-persistent, one run per
                                    value; non-persistent makes both the request and the
                                    reply topic non-persistent (default: persistent)
        --broker-setting KEY=VALUE  another setting of the embedded broker (repeatable)
        --redis-url URL             Redis to use (default: REDIS_URL, else a local redis-server)
        --nats-url URL              NATS to use (default: NATS_URL, else a local nats-server -js)
        --nats-mode LIST            modes of the NATS bus of jetstream,core, one run per
                                    value (default: jetstream,core)
        --warmup SECONDS            warm-up of each scenario, not measured (default: 5)
        --duration SECONDS          measured time of each scenario (default: 15)
        --rounds N                  turns of each generated call and of its twin, a
                                    duration / N each, from 2 to 100 (default: 8)
        --raw-rounds N              0, or from 2 to 100: rpc-sync and rpc-async measured
                                    in N turns with the raw round trip of the same depth,
                                    a duration / N each, the targets read from the
                                    per-round ratios (default: 0, one after the other)
        --payload BYTES             request and reply size (default: 100)
        --in-flight LIST            pipelined depths of raw, rpc-async and rpc-multi
                                    (default: 64,256)
        --work-in-flight N          depth of rpc-work (default: 64)
        --work-ms MILLIS            time rpc-work's handler takes, without a thread (default: 5)
        --heap-calls N              calls held pending by the heap scenario (default: 10000)
        --producer-config K=V,...   Pulsar producer settings (loadConf) of the raw producers and
                                    of the RPC request producer (default: Pulsar's defaults)
        --raw-work-us MICROS        CPU the raw Pulsar responder spends on each request before
                                    it replies, in a busy loop: how raw reacts to a server's
                                    cost per call; only with --bus pulsar (default: 0)
        --raw-properties none|rpc   rpc: the raw Pulsar request and reply carry the properties
                                    of a plain RPC call (replyTopic, requestTimeoutInMillis,
                                    rpc-reply-subscription; serverSub and rpc-reply-subscription),
                                    to show what they cost; only with --bus pulsar (default: none)
        --output DIR                where CSV, JSON and PNG go (default: target/benchmark-results)
        --help                      this text
      """;

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException on an unknown option, a missing or bad value; the message says
   *     which and what is allowed
   */
  static BenchmarkOptions parse(String... args) {
    List<String> buses = BUSES;
    Set<String> scenarios = new LinkedHashSet<>(SCENARIOS);
    String serviceUrl = null;
    List<Integer> delays = List.of(10, 0);
    List<String> topicDomains = List.of("persistent");
    Map<String, String> brokerSettings = new LinkedHashMap<>();
    String redisUrl = null;
    String natsUrl = null;
    List<String> natsModes = NATS_MODES;
    Duration warmUp = Duration.ofSeconds(5);
    Duration duration = Duration.ofSeconds(15);
    int rounds = 8;
    int rawRounds = 0;
    int payload = 100;
    List<Integer> inFlight = List.of(64, 256);
    int workInFlight = 64;
    Duration work = Duration.ofMillis(5);
    int heapCalls = 10_000;
    Map<String, Object> producerConfig = Map.of();
    Duration rawResponderWork = Duration.ZERO;
    boolean rawRpcProperties = false;
    Path output = Path.of("target", "benchmark-results");
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        throw new HelpRequested();
      }
      if (!option.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + option + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--bus" -> buses = namesFrom(option, value, BUSES);
        case "--scenarios" -> scenarios = new LinkedHashSet<>(namesFrom(option, value, SCENARIOS));
        case "--service-url" -> serviceUrl = nonBlank(option, value);
        case "--entries-check-delay-ms" -> delays = integers(option, value, 0, 1000);
        case "--topic-domain" -> topicDomains = namesFrom(option, value, TOPIC_DOMAINS);
        case "--nats-mode" -> natsModes = namesFrom(option, value, NATS_MODES);
        case "--broker-setting" -> {
          Map.Entry<String, String> setting = keyValue(option, value);
          brokerSettings.put(setting.getKey(), setting.getValue());
        }
        case "--redis-url" -> redisUrl = nonBlank(option, value);
        case "--nats-url" -> natsUrl = nonBlank(option, value);
        case "--warmup" -> warmUp = seconds(option, value, true);
        case "--duration" -> duration = seconds(option, value, false);
        case "--rounds" -> rounds = integer(option, value, 2, 100);
        case "--raw-rounds" -> rawRounds = rawRounds(option, value);
        case "--payload" -> payload = integer(option, value, 1, 4 * 1024 * 1024);
        case "--in-flight" -> inFlight = integers(option, value, 1, 10_000);
        case "--work-in-flight" -> workInFlight = integer(option, value, 1, 10_000);
        case "--work-ms" -> work = Duration.ofMillis(integer(option, value, 0, 60_000));
        case "--heap-calls" -> heapCalls = integer(option, value, 1, 1_000_000);
        case "--producer-config" -> producerConfig = producerConfig(option, value);
        case "--raw-work-us" ->
            rawResponderWork = Duration.ofNanos(1_000L * integer(option, value, 0, 10_000));
        case "--raw-properties" ->
            rawRpcProperties = oneOf(option, value, RAW_PROPERTIES).equals("rpc");
        case "--output" -> output = Path.of(nonBlank(option, value));
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    RawPulsarSettings rawPulsar = new RawPulsarSettings(rawResponderWork, rawRpcProperties);
    if (!rawPulsar.isBare() && !buses.equals(List.of("pulsar"))) {
      throw new IllegalArgumentException(
          "--raw-work-us and --raw-properties change the raw Pulsar round trip only: use them with"
              + " --bus pulsar, got --bus "
              + String.join(",", buses));
    }
    return new BenchmarkOptions(
        buses,
        scenarios,
        serviceUrl,
        delays,
        topicDomains,
        Map.copyOf(brokerSettings),
        redisUrl,
        natsUrl,
        natsModes,
        warmUp,
        duration,
        rounds,
        rawRounds,
        payload,
        inFlight,
        workInFlight,
        work,
        heapCalls,
        producerConfig,
        rawPulsar,
        output);
  }

  boolean runs(String scenario) {
    return scenarios.contains(scenario);
  }

  /** Whether rpc-sync and rpc-async are measured in turns with the raw round trip. */
  boolean pairsWithRaw() {
    return rawRounds > 0 && runs("raw");
  }

  /** Thrown by {@link #parse} for {@code --help}. */
  static final class HelpRequested extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super(USAGE);
    }
  }

  private static List<String> namesFrom(String option, String value, List<String> allowed) {
    List<String> names = new ArrayList<>();
    for (String name : value.split(",")) {
      String trimmed = name.strip();
      if (!allowed.contains(trimmed)) {
        throw new IllegalArgumentException(
            option + " takes a list of " + String.join(",", allowed) + "; got '" + trimmed + "'");
      }
      if (!names.contains(trimmed)) {
        names.add(trimmed);
      }
    }
    return List.copyOf(names);
  }

  private static String oneOf(String option, String value, List<String> allowed) {
    String name = value.strip();
    if (!allowed.contains(name)) {
      throw new IllegalArgumentException(
          option + " takes one of " + String.join(", ", allowed) + "; got '" + name + "'");
    }
    return name;
  }

  private static String nonBlank(String option, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(option + " must not be blank");
    }
    return value.strip();
  }

  private static int integer(String option, String value, int min, int max) {
    int parsed;
    try {
      parsed = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " takes a whole number from " + min + " to " + max + "; got '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          option + " must be from " + min + " to " + max + "; got " + parsed);
    }
    return parsed;
  }

  private static int rawRounds(String option, String value) {
    if (value.strip().equals("0")) {
      return 0;
    }
    try {
      return integer(option, value, 2, 100);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + " takes 0 or a whole number from 2 to 100; got '" + value + "'");
    }
  }

  private static List<Integer> integers(String option, String value, int min, int max) {
    List<Integer> values = new ArrayList<>();
    for (String part : value.split(",")) {
      int parsed = integer(option, part, min, max);
      if (!values.contains(parsed)) {
        values.add(parsed);
      }
    }
    return List.copyOf(values);
  }

  private static Duration seconds(String option, String value, boolean zeroAllowed) {
    double seconds;
    try {
      seconds = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " takes seconds, e.g. 5 or 0.5; got '" + value + "'");
    }
    Duration parsed = Duration.ofMillis(Math.round(seconds * 1000));
    if (Double.isNaN(seconds)
        || parsed.isNegative()
        || (!zeroAllowed && parsed.isZero())
        || parsed.compareTo(MAX_PHASE) > 0) {
      throw new IllegalArgumentException(
          option
              + " must be "
              + (zeroAllowed ? "from 0" : "more than 0")
              + " to "
              + MAX_PHASE.toSeconds()
              + " seconds; got "
              + value);
    }
    return parsed;
  }

  private static Map.Entry<String, String> keyValue(String option, String value) {
    int equals = value.indexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException(option + " takes KEY=VALUE; got '" + value + "'");
    }
    return Map.entry(value.substring(0, equals).strip(), value.substring(equals + 1).strip());
  }

  private static Map<String, Object> producerConfig(String option, String value) {
    Map<String, Object> config = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      Map.Entry<String, String> entry = keyValue(option, part);
      config.put(entry.getKey(), typed(entry.getValue()));
    }
    return Map.copyOf(config);
  }

  /** Pulsar's loadConf wants numbers and booleans as such, not as strings. */
  private static Object typed(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }
}

package io.pulsarrpc.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pulsarrpc.common.ErrorCode;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one side (client or server) for one set of tags: a call counter and a timer per
 * outcome and code, and an in-flight gauge.
 */
final class CallMeters {

  static final String TAG_TOPIC = "topic";
  static final String TAG_SUBSCRIPTION = "subscription";
  static final String TAG_SERVER = "server";
  static final String TAG_OUTCOME = "outcome";
  static final String TAG_CODE = "code";
  static final String OUTCOME_SUCCESS = "success";
  static final String OUTCOME_ERROR = "error";
  static final String CODE_OK = "ok";

  /**
   * In-flight counts by registry and gauge id. Shared by every interceptor, because Micrometer
   * keeps the first gauge registered under an id: two interceptors on one registry and topic must
   * count into the same number. Weak keys, so a dropped registry takes its counts with it.
   */
  private static final Map<MeterRegistry, ConcurrentMap<String, AtomicInteger>> IN_FLIGHT =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final MeterRegistry registry;
  private final String prefix;
  private final Tags tags;
  private final AtomicInteger inFlight;

  private CallMeters(MeterRegistry registry, String prefix, Tags tags, AtomicInteger inFlight) {
    this.registry = registry;
    this.prefix = prefix;
    this.tags = tags;
    this.inFlight = inFlight;
  }

  /** The meters named {@code prefix}.calls, .duration and .in_flight with {@code tags}. */
  static CallMeters of(MeterRegistry registry, String prefix, Tags tags) {
    String gaugeName = prefix + ".in_flight";
    AtomicInteger inFlight =
        IN_FLIGHT
            .computeIfAbsent(registry, r -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                gaugeName + tags,
                id -> {
                  AtomicInteger count = new AtomicInteger();
                  Gauge.builder(gaugeName, count, AtomicInteger::get)
                      .tags(tags)
                      .description("Calls started and not yet completed")
                      .strongReference(true)
                      .register(registry);
                  return count;
                });
    return new CallMeters(registry, prefix, tags, inFlight);
  }

  /** Counts a call as in flight and starts its clock. */
  Timer.Sample started() {
    inFlight.incrementAndGet();
    return Timer.start(registry);
  }

  /** Records the end of a call started with {@link #started()}; {@code code} null on success. */
  void finished(Timer.Sample sample, ErrorCode code) {
    inFlight.decrementAndGet();
    Tags outcome =
        tags.and(
            TAG_OUTCOME,
            code == null ? OUTCOME_SUCCESS : OUTCOME_ERROR,
            TAG_CODE,
            code == null ? CODE_OK : code.wireName());
    sample.stop(
        Timer.builder(prefix + ".duration")
            .description("Time from the start of a call to its outcome")
            .tags(outcome)
            .register(registry));
    Counter.builder(prefix + ".calls")
        .description("Calls completed, by outcome and error code")
        .tags(outcome)
        .register(registry)
        .increment();
  }
}

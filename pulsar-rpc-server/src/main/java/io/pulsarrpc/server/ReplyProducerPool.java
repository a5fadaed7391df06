package io.pulsarrpc.server;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producers for reply topics, one per topic, kept in a commons-pool2 keyed pool: created on first
 * use, closed when unused for the idle timeout, and all closed with the pool. Thread-safe.
 *
 * <p>A producer is thread-safe, so it is borrowed only for the moment of handing it a message; the
 * pool holds one producer per topic and borrowers of one topic take turns.
 */
final class ReplyProducerPool<V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReplyProducerPool.class);
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

  private final ProducerFactory<V> factory;
  private final GenericKeyedObjectPool<String, BusProducer<V>> pool;

  ReplyProducerPool(
      MessageBus bus, Schema<V> schema, Map<String, Object> producerConfig, Duration idleTimeout) {
    GenericKeyedObjectPoolConfig<BusProducer<V>> poolConfig = new GenericKeyedObjectPoolConfig<>();
    poolConfig.setMaxTotalPerKey(1);
    poolConfig.setMaxIdlePerKey(1);
    poolConfig.setMaxTotal(-1);
    poolConfig.setBlockWhenExhausted(true);
    poolConfig.setMaxWait(CREATE_TIMEOUT);
    poolConfig.setMinEvictableIdleDuration(idleTimeout);
    poolConfig.setTimeBetweenEvictionRuns(evictionInterval(idleTimeout));
    // Examine every idle producer at each run, not just a few.
    poolConfig.setNumTestsPerEvictionRun(Integer.MAX_VALUE);
    poolConfig.setJmxEnabled(false);
    this.factory = new ProducerFactory<>(bus, schema, producerConfig);
    this.pool = new GenericKeyedObjectPool<>(factory, poolConfig);
  }

  /**
   * Publishes {@code message} to {@code topic}, creating the topic's producer when there is none.
   * Creation blocks the calling thread (at most 30 s), so call this off the receive path.
   *
   * @param handOff runs the hand-off of the message to the producer, or refuses it with a failed
   *     future ({@link InFlightCall#handOff}); it covers only the hand-off, not the creation of the
   *     producer, so that what it excludes never waits for a producer to be created
   */
  CompletableFuture<MessageId> send(
      String topic,
      OutgoingMessage<V> message,
      Function<Supplier<CompletableFuture<MessageId>>, CompletableFuture<MessageId>> handOff) {
    BusProducer<V> producer;
    try {
      producer = pool.borrowObject(topic);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      return handOff.apply(() -> producer.send(message));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      pool.returnObject(topic, producer);
    }
  }

  /**
   * Whether every reply producer the pool holds is connected ({@link BusProducer#isConnected()});
   * true when it holds none. Reads a concurrent set the pool's factory keeps, without the pool's
   * locks.
   */
  boolean allConnected() {
    for (BusProducer<V> producer : factory.created) {
      if (!producer.isConnected()) {
        return false;
      }
    }
    return true;
  }

  /** How many reply producers are open. */
  int size() {
    return pool.getNumIdle() + pool.getNumActive();
  }

  /** Closes every producer. */
  @Override
  public void close() {
    pool.close();
  }

  private static Duration evictionInterval(Duration idleTimeout) {
    Duration half = idleTimeout.dividedBy(2);
    Duration floor = Duration.ofMillis(100);
    Duration ceiling = Duration.ofSeconds(30);
    return half.compareTo(floor) < 0 ? floor : half.compareTo(ceiling) > 0 ? ceiling : half;
  }

  private static final class ProducerFactory<V>
      extends BaseKeyedPooledObjectFactory<String, BusProducer<V>> {

    private final MessageBus bus;
    private final Schema<V> schema;
    private final Map<String, Object> config;
    // The producers created and not yet destroyed: what allConnected() looks at, since the pool
    // lists its objects only under its own locks.
    final Set<BusProducer<V>> created = ConcurrentHashMap.newKeySet();

    ProducerFactory(MessageBus bus, Schema<V> schema, Map<String, Object> config) {
      this.bus = bus;
      this.schema = schema;
      this.config = config;
    }

    @Override
    public BusProducer<V> create(String topic) throws Exception {
      BusProducer<V> producer =
          bus.createProducer(new ProducerSpec<>(topic, schema, config))
              .get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      created.add(producer);
      return producer;
    }

    @Override
    public PooledObject<BusProducer<V>> wrap(BusProducer<V> producer) {
      return new DefaultPooledObject<>(producer);
    }

    @Override
    public void destroyObject(String topic, PooledObject<BusProducer<V>> pooled) {
      created.remove(pooled.getObject());
      pooled
          .getObject()
          .closeAsync()
          .whenComplete(
              (ignored, failure) -> {
                if (failure != null) {
                  log.warn("Closing the reply producer of {} failed", topic, failure);
                }
              });
    }
  }
}

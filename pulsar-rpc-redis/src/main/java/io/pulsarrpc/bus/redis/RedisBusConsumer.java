package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.redis.RedisValues.asLong;
import static io.pulsarrpc.bus.redis.RedisValues.ascii;
import static io.pulsarrpc.bus.redis.RedisValues.text;
import static io.pulsarrpc.bus.support.Failures.unwrapped;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.WaitingReceives;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of a consumer group: a subscription is a group, and this consumer has a name of its
 * own in it. It holds the consumer's state and its read loop; each background job is a class of its
 * own: {@link ConsumerHeartbeat} (lease and idle-time renewal), {@link IdleEntryClaims} (entries
 * other consumers left behind), {@link LostReadRecovery} (entries whose answer the connection lost)
 * and {@link NegativeAckRedelivery}. Joining and leaving the subscription is {@link
 * SubscriptionMembership}.
 *
 * <p>A temporary subscription is a group of its own with this one consumer, created at {@code $}
 * and destroyed when the consumer closes (see {@link SubscriptionMembership}); otherwise it works
 * as an exclusive one.
 *
 * <p>It reads only for receives that wait (XREADGROUP with {@code COUNT} the number of waiting
 * receives, blocking, on a connection of its own), so nothing is taken from the group that nobody
 * asked for, and a caller that stops receiving leaves new entries to the other consumers. On close
 * it releases what it holds, so that the next claim of another consumer takes it at once.
 *
 * <p>Invariants: an entry id is {@code held} from the moment Redis handed it to this consumer until
 * it is acknowledged, released or closed; at most one of a read, a claim and a recovery talks to
 * Redis for the consumer's pending list at a time, chosen by {@link #nextStepLocked()}.
 *
 * <p>Thread-safe. State is guarded by {@link #lock()}, which the jobs share; receive futures are
 * completed on the bus's delivery thread, never under the lock.
 */
final class RedisBusConsumer<T> implements BusConsumer<T> {

  private static final Logger LOG = LoggerFactory.getLogger(RedisBusConsumer.class);

  /** What the consumer does next with Redis, chosen by {@link #nextStepLocked()}. */
  enum Step {
    NONE,
    READ,
    RECOVER
  }

  private final BusResources resources;
  private final SubscriptionSpec<T> spec;
  private final ConsumerKeys keys;
  private final StatefulRedisConnection<byte[], byte[]> reader;
  private final StatefulConnection<byte[], byte[]> sharedConnection;
  private final RedisConnectionStateListener reconnected;
  private final Consumer<Object> onClosed;
  private final FailureLog readFailures;
  private final ConsumerHeartbeat heartbeat;
  private final IdleEntryClaims<T> claims;
  private final LostReadRecovery<T> recovery;
  private final NegativeAckRedelivery<T> redelivery;
  private final CoalescedAcknowledgements acknowledgements;

  private final Object lock = new Object();
  // Guarded by lock.
  private final WaitingReceives<IncomingMessage<T>> waiting = new WaitingReceives<>(lock);
  // Guarded by lock. Entries this consumer holds that no receive has taken yet; redeliveries first.
  private final Deque<RedisIncomingMessage<T>> ready = new ArrayDeque<>();
  // Guarded by lock. Ids of the entries this consumer holds in the group's pending list (ready,
  // delivered or waiting for a negative-ack redelivery): the heartbeat keeps them from going idle.
  private final Set<String> held = new LinkedHashSet<>();
  // Guarded by lock. Ids whose XACK was sent and has not completed: still in the pending list in
  // Redis but no longer held, and not lost.
  private final Set<String> acknowledging = new HashSet<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private boolean reading;
  // Written under lock; volatile so that isConnected() reads it without the lock.
  private volatile String closedReason;
  private CompletableFuture<Void> closed;

  private RedisBusConsumer(
      BusResources resources,
      SubscriptionSpec<T> spec,
      ConsumerKeys keys,
      StatefulRedisConnection<byte[], byte[]> reader,
      StatefulConnection<byte[], byte[]> sharedConnection,
      Consumer<Object> onClosed) {
    this.resources = resources;
    this.spec = spec;
    this.keys = keys;
    this.reader = reader;
    this.sharedConnection = sharedConnection;
    this.onClosed = onClosed;
    this.readFailures = new FailureLog(LOG, "Reading " + description());
    this.heartbeat = new ConsumerHeartbeat(this, resources);
    this.claims = new IdleEntryClaims<>(this, resources);
    this.recovery = new LostReadRecovery<>(this, resources);
    this.redelivery = new NegativeAckRedelivery<>(this, resources);
    this.acknowledgements = new CoalescedAcknowledgements(resources, keys, this::acknowledged);
    this.reconnected =
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(RedisChannelHandler<?, ?> connection) {
            // A read or claim in flight when the connection broke may have taken entries whose
            // answer was lost; Lettuce sends it again after reconnecting, which takes new ones.
            synchronized (lock) {
              recovery.markDueLocked();
            }
            resources.after(Duration.ZERO, RedisBusConsumer.this::resume);
          }
        };
    reader.addListener(reconnected);
    sharedConnection.addListener(reconnected);
  }

  /**
   * Joins the subscription (refused for a second consumer of an exclusive one, or a mode that
   * differs from the current members'), creates the group if it does not exist, and connects the
   * consumer's reading connection. The consumer is not started yet.
   */
  static <T> CompletableFuture<RedisBusConsumer<T>> join(
      BusResources resources, SubscriptionSpec<T> spec, Consumer<Object> onClosed) {
    ConsumerKeys keys = ConsumerKeys.of(spec, "pulsar-rpc-" + UUID.randomUUID());
    Duration lease = resources.settings.consumerLease();
    return resources
        .commands()
        .thenCompose(
            commands ->
                SubscriptionMembership.renew(commands, keys, lease, List.of())
                    .thenCompose(
                        joined -> {
                          if (!SubscriptionMembership.isMember(joined)) {
                            return CompletableFuture.failedFuture(
                                new IllegalStateException(
                                    SubscriptionMembership.refusal(spec, joined)));
                          }
                          return SubscriptionMembership.createGroup(commands, spec)
                              .thenCompose(created -> resources.connect())
                              .thenApply(
                                  reader -> {
                                    // Blocking reads must outlast their BLOCK time, whatever
                                    // command timeout the client has.
                                    reader.setTimeout(BusSettings.READ_BLOCK.plusSeconds(30));
                                    return new RedisBusConsumer<>(
                                        resources,
                                        spec,
                                        keys,
                                        reader,
                                        commands.getStatefulConnection(),
                                        onClosed);
                                  })
                              .whenComplete(
                                  (consumer, error) -> {
                                    if (error != null) {
                                      SubscriptionMembership.leave(
                                          commands, keys, spec.isTemporary());
                                    }
                                  });
                        }));
  }

  /** Starts the heartbeat and the claims. */
  void start() {
    BusSettings settings = resources.settings;
    synchronized (lock) {
      if (closedReason != null) {
        return;
      }
      addTimer(resources.every(settings.heartbeatInterval(), heartbeat::beat));
      addTimer(resources.every(settings.claimScanInterval(), claims::claim));
    }
  }

  @Override
  public String subscription() {
    return spec.subscription();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Completes on the bus's delivery thread. Fails with an {@link IllegalStateException} once the
   * consumer or its bus is closed, or once the consumer lost its place in the subscription (see
   * {@link RedisMessageBus}). A Redis outage does not fail it: reading resumes when Redis is back.
   */
  @Override
  public CompletableFuture<IncomingMessage<T>> receive() {
    CompletableFuture<IncomingMessage<T>> receive;
    List<Runnable> completions = new ArrayList<>();
    Step step;
    synchronized (lock) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(new IllegalStateException(closedReason));
      }
      receive = waiting.enqueue();
      dispatchLocked(completions);
      step = nextStepLocked();
    }
    resources.complete(completions);
    take(step);
    return receive;
  }

  /**
   * True while the consumer is open and both its reading connection and the bus's shared one are up
   * (Lettuce's {@code isOpen()}, false from the moment a connection drops until it reconnected).
   */
  @Override
  public boolean isConnected() {
    return closedReason == null && reader.isOpen() && sharedConnection.isOpen();
  }

  /**
   * Fails waiting receives, stops reading, releases the entries the consumer holds (delivered and
   * not acknowledged, or not yet received) to the other consumers of the subscription, and leaves
   * it; a temporary subscription's group is destroyed instead, with those entries. Idempotent.
   * Completes normally even when Redis cannot be reached; the entries then go to other consumers
   * after the claim idle time, and a temporary group goes once the consumer's lease ran out.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    return close("consumer closed: " + description() + " was closed");
  }

  @Override
  public String toString() {
    return "RedisBusConsumer[" + description() + "]";
  }

  Schema<T> schema() {
    return spec.schema();
  }

  SubscriptionSpec<T> spec() {
    return spec;
  }

  String topic() {
    return spec.topic();
  }

  /** The consumer's name in its group; for tests. */
  String name() {
    return keys.name();
  }

  ConsumerKeys keys() {
    return keys;
  }

  String description() {
    return keys.description();
  }

  /** Closes with {@code reason} as the message of the failed receives; see {@link #closeAsync}. */
  CompletableFuture<Void> close(String reason) {
    List<CompletableFuture<IncomingMessage<T>>> receives;
    List<ScheduledFuture<?>> stopped;
    CompletableFuture<Void> done;
    synchronized (lock) {
      if (closed != null) {
        return closed.copy();
      }
      closedReason = reason;
      closed = new CompletableFuture<>();
      done = closed;
      receives = waiting.drain();
      ready.clear();
      held.clear();
      stopped = List.copyOf(timers);
      timers.clear();
    }
    stopped.forEach(timer -> timer.cancel(false));
    // The shared connection outlives the consumer.
    sharedConnection.removeListener(reconnected);
    List<Runnable> completions = new ArrayList<>();
    for (CompletableFuture<IncomingMessage<T>> receive : receives) {
      completions.add(() -> receive.completeExceptionally(new IllegalStateException(reason)));
    }
    resources.complete(completions);
    // The reading connection goes first, so that no read takes entries after they were released;
    // acknowledgements accepted before the close go before the release, so that none settles a
    // delivery of another consumer.
    CloseStep.within(
            BusSettings.CONNECTION_CLOSE_TIMEOUT,
            "the reading connection's close of " + description(),
            reader.closeAsync())
        .handle((ignored, error) -> null)
        .thenCompose(
            ignored ->
                acknowledgements
                    .drained()
                    .completeOnTimeout(
                        null, BusSettings.LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .thenCompose(
            ignored ->
                resources
                    .commands()
                    .thenCompose(
                        commands ->
                            SubscriptionMembership.leave(commands, keys, spec.isTemporary()))
                    .orTimeout(BusSettings.LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete(
            (released, error) -> {
              if (error != null) {
                LOG.warn(
                    spec.isTemporary()
                        ? "{} could not remove its temporary subscription; any bus that uses the"
                            + " topic removes it once the consumer's lease ran out: {}"
                        : "{} could not hand its entries back; other consumers claim them after"
                            + " the claim idle time: {}",
                    description(),
                    unwrapped(error).toString());
              } else if (released > 0) {
                LOG.debug("{} released {} entries on close", description(), released);
              }
              onClosed.accept(this);
              done.complete(null);
            });
    return done.copy();
  }

  /**
   * XACK of entry {@code id}, coalesced with the other acknowledgements of this consumer ({@link
   * CoalescedAcknowledgements}); the entry counts as held until the XACK completes. Fails once this
   * consumer is closed: closing hands its entries back to the subscription, so an XACK now could
   * settle a delivery that another consumer is handling.
   */
  CompletableFuture<Void> acknowledge(String id) {
    CompletableFuture<Void> acknowledged;
    synchronized (lock) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "cannot acknowledge entry "
                    + id
                    + " ("
                    + closedReason
                    + (spec.isTemporary()
                        ? "): its temporary subscription was removed with it"
                        : "): it goes back to the subscription for another consumer")));
      }
      if (held.remove(id)) {
        acknowledging.add(id);
      }
      // Queued under the lock, so that a close that follows waits for this XACK before it
      // releases the consumer's entries.
      acknowledged = acknowledgements.enqueue(id);
    }
    acknowledgements.flush();
    return acknowledged;
  }

  private void acknowledged(List<String> ids) {
    synchronized (lock) {
      for (String id : ids) {
        acknowledging.remove(id);
      }
    }
  }

  void negativeAcknowledge(String id) {
    redelivery.schedule(id);
  }

  // ---- for the background jobs, which share the lock

  Object lock() {
    return lock;
  }

  IdleEntryClaims<T> claims() {
    return claims;
  }

  LostReadRecovery<T> recovery() {
    return recovery;
  }

  boolean isClosedLocked() {
    return closedReason != null;
  }

  /** Whether the consumer is open and holds entry {@code id}. */
  boolean holds(String id) {
    synchronized (lock) {
      return closedReason == null && held.contains(id);
    }
  }

  /** Whether the consumer holds entry {@code id} or is acknowledging it: it is not lost. */
  boolean knowsLocked(String id) {
    return held.contains(id) || acknowledging.contains(id);
  }

  /** The entry is no longer in the pending list (acknowledged elsewhere, claimed, trimmed). */
  void forgetLocked(String id) {
    held.remove(id);
  }

  /** The ids of the entries the consumer holds, or null once it is closed. */
  List<String> heldIds() {
    synchronized (lock) {
      return closedReason != null ? null : List.copyOf(held);
    }
  }

  /**
   * Puts {@code messages} ahead of the ready entries, in their order, and hands out what waiting
   * receives can take.
   *
   * @param hold whether the entries are new to the consumer (claimed), not already held
   */
  void putFirstLocked(
      List<RedisIncomingMessage<T>> messages, boolean hold, List<Runnable> completions) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (hold) {
        held.add(messages.get(i).id().toString());
      }
      ready.addFirst(messages.get(i));
    }
    dispatchLocked(completions);
  }

  /** How many more entries the waiting receives could take. */
  int needLocked() {
    return waiting.liveCount() - ready.size();
  }

  /**
   * What to start now, marked as started: a recovery when one is due and no read or claim is in
   * flight, otherwise a read when receives wait for more entries than are ready.
   */
  Step nextStepLocked() {
    if (closedReason != null || reading || recovery.isRunningLocked()) {
      return Step.NONE;
    }
    if (recovery.isDueLocked()) {
      if (claims.isClaimingLocked()) {
        // The claim's completion comes back here.
        return Step.NONE;
      }
      recovery.startLocked();
      return Step.RECOVER;
    }
    if (needLocked() > 0) {
      reading = true;
      return Step.READ;
    }
    return Step.NONE;
  }

  /** Starts what {@link #nextStepLocked()} chose; call without the lock. */
  void take(Step step) {
    switch (step) {
      case READ -> read();
      case RECOVER -> recovery.run();
      case NONE -> {}
    }
  }

  /** Starts whatever the consumer should do next with Redis: recover, read, or nothing. */
  void resume() {
    Step step;
    synchronized (lock) {
      step = nextStepLocked();
    }
    take(step);
  }

  void retryReadLater() {
    resources.after(BusSettings.RETRY_DELAY, this::resume);
  }

  /**
   * Makes entries claimable at once by any consumer of the group: entries that arrived after close,
   * or whose answer was lost. Completes with how many this consumer still held in Redis.
   */
  CompletableFuture<Long> release(List<String> ids) {
    byte[][] args = new byte[3 + ids.size()][];
    args[0] = keys.group();
    args[1] = keys.consumer();
    args[2] = ascii(BusSettings.RELEASED_IDLE_MILLIS);
    for (int i = 0; i < ids.size(); i++) {
      args[3 + i] = ascii(ids.get(i));
    }
    CompletableFuture<Long> released =
        resources
            .commands()
            .thenCompose(
                commands ->
                    StreamScripts.RELEASE.<Long>run(
                        commands, ScriptOutputType.INTEGER, new byte[][] {keys.stream()}, args));
    released.whenComplete(
        (count, error) -> {
          if (error != null) {
            LOG.debug("{} could not release {}", description(), ids, error);
          }
        });
    return released;
  }

  /** A message of an entry a script claimed: {id, fields, delivery count}. */
  @SuppressWarnings("unchecked")
  RedisIncomingMessage<T> claimedMessage(List<Object> entry) {
    String id = text(entry.get(0));
    List<byte[]> fields = new ArrayList<>();
    for (Object field : (List<Object>) entry.get(1)) {
      fields.add((byte[]) field);
    }
    int deliveries = (int) Math.min(Integer.MAX_VALUE, asLong(entry.get(2)));
    return new RedisIncomingMessage<>(
        this, EntryLayout.parse(spec.topic(), id, fields), Math.max(0, deliveries - 1));
  }

  // Lettuce's xreadgroup takes its stream offsets as generic varargs.
  @SuppressWarnings("unchecked")
  private void read() {
    int count;
    Step instead = null;
    synchronized (lock) {
      int need = needLocked();
      if (closedReason != null || need <= 0 || recovery.isDueLocked()) {
        reading = false;
        // Not a read: a recovery that is due, or nothing.
        instead = nextStepLocked();
      }
      count = Math.min(need, spec.receiverQueueSize());
    }
    if (instead != null) {
      take(instead);
      return;
    }
    try {
      reader
          .async()
          .xreadgroup(
              io.lettuce.core.Consumer.from(keys.group(), keys.consumer()),
              new XReadArgs().block(BusSettings.READ_BLOCK).count(count),
              XReadArgs.StreamOffset.lastConsumed(keys.stream()))
          .whenComplete(this::onRead);
    } catch (RuntimeException e) {
      onRead(null, e);
    }
  }

  private void onRead(List<StreamMessage<byte[], byte[]>> entries, Throwable error) {
    if (error != null) {
      Throwable cause = unwrapped(error);
      boolean noGroup = SubscriptionMembership.isNoGroup(cause);
      synchronized (lock) {
        reading = false;
        if (closedReason != null) {
          return;
        }
        // The read may have taken entries before its answer was lost. A missing group has none.
        if (!noGroup) {
          recovery.markDueLocked();
        }
      }
      readFailures.failed(cause);
      if (noGroup) {
        // The group or the whole stream is gone (deleted, or Redis lost its data): recreate it.
        LOG.warn("{}: the consumer group is gone; creating it again", description());
        resources
            .commands()
            .thenCompose(commands -> SubscriptionMembership.createGroup(commands, spec))
            .whenComplete((created, failed) -> retryReadLater());
      } else {
        retryReadLater();
      }
      return;
    }
    readFailures.succeeded();
    List<Runnable> completions = new ArrayList<>();
    List<String> late = new ArrayList<>();
    Step next = Step.NONE;
    synchronized (lock) {
      reading = false;
      for (StreamMessage<byte[], byte[]> entry :
          entries == null ? List.<StreamMessage<byte[], byte[]>>of() : entries) {
        if (closedReason != null) {
          late.add(entry.getId());
          continue;
        }
        held.add(entry.getId());
        ready.addLast(
            new RedisIncomingMessage<>(
                this, EntryLayout.parse(spec.topic(), entry.getId(), entry.getBody()), 0));
      }
      if (closedReason == null) {
        dispatchLocked(completions);
        next = nextStepLocked();
      }
    }
    if (!late.isEmpty()) {
      release(late);
    }
    resources.complete(completions);
    take(next);
  }

  private void dispatchLocked(List<Runnable> completions) {
    while (!ready.isEmpty()) {
      CompletableFuture<IncomingMessage<T>> receive = waiting.pollLive();
      if (receive == null) {
        return;
      }
      RedisIncomingMessage<T> message = ready.pollFirst();
      completions.add(
          () -> {
            // The caller may have cancelled or timed out the receive after it was chosen.
            if (!receive.complete(message)) {
              takeBack(message);
            }
          });
    }
  }

  private void takeBack(RedisIncomingMessage<T> message) {
    List<Runnable> completions = new ArrayList<>();
    synchronized (lock) {
      if (closedReason != null) {
        return;
      }
      ready.addFirst(message);
      dispatchLocked(completions);
    }
    resources.complete(completions);
  }

  private void addTimer(ScheduledFuture<?> timer) {
    if (timer != null) {
      timers.add(timer);
    }
  }
}

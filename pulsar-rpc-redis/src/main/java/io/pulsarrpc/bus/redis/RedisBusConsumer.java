package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.support.Failures.unwrapped;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.WaitingReceives;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of a consumer group: a subscription is a group, and this consumer has a name of its
 * own in it.
 *
 * <p>It reads only for receives that wait (XREADGROUP with {@code COUNT} the number of waiting
 * receives, blocking, on a connection of its own), so nothing is taken from the group that nobody
 * asked for, and a caller that stops receiving leaves new entries to the other consumers. While
 * receives wait it also claims entries that other consumers left idle for the claim idle time. A
 * heartbeat renews its lease in the subscription's members and resets the idle time of every entry
 * it holds, so that entries of a live but slow consumer are never claimed; only a consumer that
 * stopped (crashed, or cut off from Redis) loses them. On close it releases what it holds, so that
 * the next claim of another consumer takes it at once.
 *
 * <p>An answer can be lost on the way: Redis hands entries to a read (or a claim) and records them
 * in this consumer's pending list, then the connection breaks (Redis died, the network failed)
 * before the answer arrives. Nothing in memory knows those entries, so nobody would renew or
 * deliver them until they are claimed after the claim idle time. So after its reading connection
 * reconnected, or a read or claim failed, the consumer <em>recovers</em>: it lists its own pending
 * entries (XPENDING, which changes nothing) and releases those it does not hold in memory, as a
 * closing consumer does, and claims at once. It recovers only while no read or claim of its own is
 * in flight, since entries such a command took are in the pending list before its answer is
 * processed; and an entry whose XACK is in flight counts as held. So an entry the consumer holds is
 * never handed over twice, and its delivery count is not touched (an XREADGROUP of the history with
 * id 0 would raise the count of every entry it returns). A consumer does not recover when it
 * starts: its name is new, so its pending list is empty.
 *
 * <p>State is guarded by {@link #lock}; receive futures are completed on the bus's delivery thread,
 * never under the lock.
 */
final class RedisBusConsumer<T> implements BusConsumer<T> {

  private static final Logger LOG = LoggerFactory.getLogger(RedisBusConsumer.class);

  /** How many of its pending entries a recovering consumer lists at once. */
  private static final int RECOVERY_PAGE = 100;

  private enum Step {
    NONE,
    READ,
    RECOVER
  }

  private final BusResources resources;
  private final SubscriptionSpec<T> spec;
  private final String name;
  private final byte[] stream;
  private final byte[] group;
  private final byte[] consumerName;
  private final byte[] members;
  private final byte[] member;
  private final StatefulRedisConnection<byte[], byte[]> reader;
  private final StatefulConnection<byte[], byte[]> sharedConnection;
  private final RedisConnectionStateListener reconnected;
  private final Consumer<Object> onClosed;
  private final FailureLog readFailures;
  private final FailureLog heartbeatFailures;
  private final FailureLog claimFailures;
  private final FailureLog recoveryFailures;

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
  private boolean claiming;
  // A recovery (see the class comment) is running; reads and claims wait for it.
  private boolean recovering;
  // A recovery should run as soon as no read or claim is in flight.
  private boolean recoveryDue;
  private String claimCursor = "0-0";
  private long lastCleanupNanos = System.nanoTime();
  private String closedReason;
  private CompletableFuture<Void> closed;

  private RedisBusConsumer(
      BusResources resources,
      SubscriptionSpec<T> spec,
      String name,
      StatefulRedisConnection<byte[], byte[]> reader,
      StatefulConnection<byte[], byte[]> sharedConnection,
      Consumer<Object> onClosed) {
    this.resources = resources;
    this.spec = spec;
    this.name = name;
    this.stream = RedisKeys.stream(spec.topic());
    this.group = utf8(spec.subscription());
    this.consumerName = utf8(name);
    this.members = RedisKeys.members(spec.topic(), spec.subscription());
    this.member = memberOf(spec, name);
    this.reader = reader;
    this.sharedConnection = sharedConnection;
    this.onClosed = onClosed;
    this.readFailures = new FailureLog(LOG, "Reading " + description());
    this.heartbeatFailures = new FailureLog(LOG, "The heartbeat of " + description());
    this.claimFailures = new FailureLog(LOG, "Claiming idle entries for " + description());
    this.recoveryFailures =
        new FailureLog(LOG, "Recovering the entries whose answer " + description() + " lost");
    this.reconnected =
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(RedisChannelHandler<?, ?> connection) {
            // A read or claim in flight when the connection broke may have taken entries whose
            // answer was lost; Lettuce sends it again after reconnecting, which takes new ones.
            synchronized (lock) {
              recoveryDue = true;
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
    String name = "pulsar-rpc-" + UUID.randomUUID();
    byte[] stream = RedisKeys.stream(spec.topic());
    byte[] members = RedisKeys.members(spec.topic(), spec.subscription());
    byte[] member = memberOf(spec, name);
    Duration lease = resources.settings.consumerLease();
    return resources
        .commands()
        .thenCompose(
            commands ->
                StreamScripts.HEARTBEAT
                    .<List<Object>>run(
                        commands,
                        ScriptOutputType.MULTI,
                        new byte[][] {members, stream},
                        member,
                        ascii(lease.toMillis()),
                        utf8(spec.subscription()),
                        utf8(name))
                    .thenCompose(
                        joined -> {
                          if (asLong(joined.get(0)) == 0) {
                            return CompletableFuture.failedFuture(
                                new IllegalStateException(refusal(spec, joined)));
                          }
                          return createGroup(commands, spec)
                              .thenCompose(created -> resources.connect())
                              .thenApply(
                                  reader -> {
                                    // Blocking reads must outlast their BLOCK time, whatever
                                    // command timeout the client has.
                                    reader.setTimeout(BusSettings.READ_BLOCK.plusSeconds(30));
                                    return new RedisBusConsumer<>(
                                        resources,
                                        spec,
                                        name,
                                        reader,
                                        commands.getStatefulConnection(),
                                        onClosed);
                                  })
                              .whenComplete(
                                  (consumer, error) -> {
                                    if (error != null) {
                                      leave(commands, spec, name);
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
      addTimer(resources.every(settings.heartbeatInterval(), this::heartbeat));
      addTimer(resources.every(settings.claimScanInterval(), this::claim));
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
   * Fails waiting receives, stops reading, releases the entries the consumer holds (delivered and
   * not acknowledged, or not yet received) to the other consumers of the subscription, and leaves
   * it. Idempotent. Completes normally even when Redis cannot be reached; the entries then go to
   * other consumers after the claim idle time.
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

  String topic() {
    return spec.topic();
  }

  /** The consumer's name in its group; for tests. */
  String name() {
    return name;
  }

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
    // The reading connection goes first, so that no read takes entries after they were released.
    reader
        .closeAsync()
        .handle((ignored, error) -> null)
        .thenCompose(
            ignored ->
                resources
                    .commands()
                    .thenCompose(commands -> leave(commands, spec, name))
                    .orTimeout(BusSettings.LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete(
            (released, error) -> {
              if (error != null) {
                LOG.warn(
                    "{} could not hand its entries back; other consumers claim them after the"
                        + " claim idle time: {}",
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

  CompletableFuture<Void> acknowledge(String id) {
    synchronized (lock) {
      if (held.remove(id)) {
        acknowledging.add(id);
      }
    }
    CompletableFuture<Long> acknowledged =
        resources.commands().thenCompose(commands -> commands.xack(stream, group, id));
    acknowledged.whenComplete(
        (count, error) -> {
          synchronized (lock) {
            acknowledging.remove(id);
          }
        });
    return acknowledged.thenApply(count -> null);
  }

  void negativeAcknowledge(String id) {
    synchronized (lock) {
      if (closedReason != null || !held.contains(id)) {
        return;
      }
    }
    resources.after(resources.settings.negativeAckRedeliveryDelay(), () -> redeliver(id));
  }

  private void redeliver(String id) {
    synchronized (lock) {
      if (closedReason != null || !held.contains(id)) {
        return;
      }
    }
    resources
        .commands()
        .thenCompose(
            commands ->
                StreamScripts.REDELIVER.<List<Object>>run(
                    commands,
                    ScriptOutputType.MULTI,
                    new byte[][] {stream},
                    group,
                    consumerName,
                    ascii(id)))
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                // Held and renewed, the entry would otherwise never come back: try again.
                LOG.warn(
                    "Redelivering entry {} to {} failed; trying again: {}",
                    id,
                    description(),
                    unwrapped(error).toString());
                resources.after(BusSettings.RETRY_DELAY, () -> redeliver(id));
                return;
              }
              List<Runnable> completions = new ArrayList<>();
              boolean late = false;
              synchronized (lock) {
                if (result.isEmpty()) {
                  // Acknowledged meanwhile, or claimed by another consumer, or trimmed.
                  held.remove(id);
                  return;
                }
                RedisIncomingMessage<T> message = claimedMessage(result);
                if (closedReason != null) {
                  late = true;
                } else {
                  ready.addFirst(message);
                  dispatchLocked(completions);
                }
              }
              if (late) {
                release(List.of(id));
              } else {
                resources.complete(completions);
              }
            });
  }

  // Lettuce's xreadgroup takes its stream offsets as generic varargs.
  @SuppressWarnings("unchecked")
  private void read() {
    int count;
    Step instead = null;
    synchronized (lock) {
      int need = needLocked();
      if (closedReason != null || need <= 0 || recoveryDue) {
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
              io.lettuce.core.Consumer.from(group, consumerName),
              new XReadArgs().block(BusSettings.READ_BLOCK).count(count),
              XReadArgs.StreamOffset.lastConsumed(stream))
          .whenComplete(this::onRead);
    } catch (RuntimeException e) {
      onRead(null, e);
    }
  }

  private void onRead(List<StreamMessage<byte[], byte[]>> entries, Throwable error) {
    if (error != null) {
      Throwable cause = unwrapped(error);
      synchronized (lock) {
        reading = false;
        if (closedReason != null) {
          return;
        }
        // The read may have taken entries before its answer was lost. A missing group has none.
        recoveryDue = recoveryDue || !isNoGroup(cause);
      }
      readFailures.failed(cause);
      if (isNoGroup(cause)) {
        // The group or the whole stream is gone (deleted, or Redis lost its data): recreate it.
        LOG.warn("{}: the consumer group is gone; creating it again", description());
        resources
            .commands()
            .thenCompose(commands -> createGroup(commands, spec))
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

  private void retryReadLater() {
    resources.after(BusSettings.RETRY_DELAY, this::resume);
  }

  /** Starts whatever the consumer should do next with Redis: recover, read, or nothing. */
  private void resume() {
    Step step;
    synchronized (lock) {
      step = nextStepLocked();
    }
    take(step);
  }

  private void take(Step step) {
    switch (step) {
      case READ -> read();
      case RECOVER -> recover();
      case NONE -> {}
    }
  }

  /** Lists this consumer's pending entries from {@code start} on, a page at a time. */
  private void recover() {
    recoverPage(Range.Boundary.unbounded(), 0);
  }

  private void recoverPage(Range.Boundary<String> start, long releasedSoFar) {
    synchronized (lock) {
      if (closedReason != null) {
        recovering = false;
        return;
      }
    }
    resources
        .commands()
        .thenCompose(
            commands ->
                commands.xpending(
                    stream,
                    io.lettuce.core.Consumer.from(group, consumerName),
                    Range.from(start, Range.Boundary.unbounded()),
                    Limit.from(RECOVERY_PAGE)))
        .thenCompose(
            pending -> {
              List<String> lost = new ArrayList<>();
              synchronized (lock) {
                if (closedReason != null) {
                  // Closing releases every pending entry anyway.
                  return CompletableFuture.completedFuture(null);
                }
                for (PendingMessage entry : pending) {
                  if (!held.contains(entry.getId()) && !acknowledging.contains(entry.getId())) {
                    lost.add(entry.getId());
                  }
                }
              }
              CompletableFuture<Long> released =
                  lost.isEmpty() ? CompletableFuture.completedFuture(0L) : release(lost);
              return released.thenApply(
                  count -> {
                    long total = releasedSoFar + count;
                    if (pending.size() < RECOVERY_PAGE) {
                      return total;
                    }
                    String last = pending.get(pending.size() - 1).getId();
                    resources.after(
                        Duration.ZERO, () -> recoverPage(Range.Boundary.excluding(last), total));
                    return (Long) null;
                  });
            })
        .whenComplete(
            (released, error) -> {
              if (error != null) {
                onRecoveryFailed(unwrapped(error));
              } else if (released != null) {
                onRecovered(released);
              }
            });
  }

  private void onRecovered(long released) {
    recoveryFailures.succeeded();
    Step next;
    synchronized (lock) {
      recovering = false;
      if (released > 0) {
        // The released entries may lie behind the claim cursor.
        claimCursor = "0-0";
      }
      next = nextStepLocked();
    }
    if (released > 0) {
      LOG.info(
          "{}: {} entries Redis had handed to it, but whose answer was lost with the connection,"
              + " are released to be claimed at once",
          description(),
          released);
      resources.after(Duration.ZERO, this::claim);
    }
    take(next);
  }

  private void onRecoveryFailed(Throwable cause) {
    synchronized (lock) {
      recovering = false;
      // Without its group the consumer has no pending entries; the read loop creates it again.
      recoveryDue = !isNoGroup(cause);
    }
    if (isNoGroup(cause)) {
      resume();
      return;
    }
    recoveryFailures.failed(cause);
    retryReadLater();
  }

  private void claim() {
    int count;
    String cursor;
    boolean cleanup;
    synchronized (lock) {
      // A recovery must not take the entries of a claim in flight for lost ones.
      if (closedReason != null || claiming || recovering || recoveryDue) {
        return;
      }
      int need = needLocked();
      if (need <= 0) {
        return;
      }
      claiming = true;
      count = Math.min(need, spec.receiverQueueSize());
      cursor = claimCursor;
      long now = System.nanoTime();
      cleanup = now - lastCleanupNanos >= resources.settings.claimIdleTime().toNanos();
      if (cleanup) {
        lastCleanupNanos = now;
      }
    }
    long claimIdleMillis = resources.settings.claimIdleTime().toMillis();
    resources
        .commands()
        .thenCompose(
            commands ->
                StreamScripts.CLAIM.<List<Object>>run(
                    commands,
                    ScriptOutputType.MULTI,
                    new byte[][] {stream},
                    group,
                    consumerName,
                    ascii(claimIdleMillis),
                    ascii(cursor),
                    ascii(count),
                    ascii(cleanup ? claimIdleMillis : 0)))
        .whenComplete((result, error) -> onClaimed(result, error, count));
  }

  @SuppressWarnings("unchecked")
  private void onClaimed(List<Object> result, Throwable error, int count) {
    if (error != null) {
      Throwable cause = unwrapped(error);
      Step next;
      synchronized (lock) {
        claiming = false;
        // The claim may have taken entries before its answer was lost. A missing group is for the
        // read loop to repair.
        recoveryDue = recoveryDue || !isNoGroup(cause);
        next = nextStepLocked();
      }
      claimFailures.failed(cause);
      take(next);
      return;
    }
    claimFailures.succeeded();
    String next = text(result.get(0));
    List<Object> claimed = (List<Object>) result.get(1);
    long trimmed = asLong(result.get(2));
    if (trimmed > 0) {
      LOG.warn(
          "{} entries of {} were trimmed from the stream before they were acknowledged; raise"
              + " maxStreamLength if the subscription lags that far behind",
          trimmed,
          description());
    }
    List<Runnable> completions = new ArrayList<>();
    List<String> late = new ArrayList<>();
    boolean more = false;
    Step step = Step.NONE;
    synchronized (lock) {
      claiming = false;
      claimCursor = next;
      List<RedisIncomingMessage<T>> messages = new ArrayList<>();
      for (Object entry : claimed) {
        messages.add(claimedMessage((List<Object>) entry));
      }
      if (closedReason != null) {
        messages.forEach(message -> late.add(message.id().toString()));
      } else {
        // Claimed entries are older than anything read since: they go first, oldest first.
        for (int i = messages.size() - 1; i >= 0; i--) {
          held.add(messages.get(i).id().toString());
          ready.addFirst(messages.get(i));
        }
        dispatchLocked(completions);
        more = messages.size() == count && needLocked() > 0;
        step = nextStepLocked();
      }
    }
    if (!late.isEmpty()) {
      release(late);
    }
    resources.complete(completions);
    take(step);
    if (more) {
      resources.after(Duration.ZERO, this::claim);
    }
  }

  private void heartbeat() {
    List<String> ids;
    synchronized (lock) {
      if (closedReason != null) {
        return;
      }
      ids = List.copyOf(held);
    }
    byte[][] args = new byte[4 + ids.size()][];
    args[0] = member;
    args[1] = ascii(resources.settings.consumerLease().toMillis());
    args[2] = group;
    args[3] = consumerName;
    for (int i = 0; i < ids.size(); i++) {
      args[4 + i] = ascii(ids.get(i));
    }
    resources
        .commands()
        .thenCompose(
            commands ->
                StreamScripts.HEARTBEAT.<List<Object>>run(
                    commands, ScriptOutputType.MULTI, new byte[][] {members, stream}, args))
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                heartbeatFailures.failed(unwrapped(error));
                return;
              }
              heartbeatFailures.succeeded();
              if (asLong(result.get(0)) == 0) {
                String reason =
                    description()
                        + " lost its place: its lease ran out (no heartbeat for "
                        + resources.settings.consumerLease()
                        + ") and meanwhile "
                        + refusal(spec, result);
                LOG.warn("{}; closing it", reason);
                close(reason);
              }
            });
  }

  /**
   * Makes entries claimable at once by any consumer of the group: entries that arrived after close,
   * or whose answer was lost. Completes with how many this consumer still held in Redis.
   */
  private CompletableFuture<Long> release(List<String> ids) {
    byte[][] args = new byte[3 + ids.size()][];
    args[0] = group;
    args[1] = consumerName;
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
                        commands, ScriptOutputType.INTEGER, new byte[][] {stream}, args));
    released.whenComplete(
        (count, error) -> {
          if (error != null) {
            LOG.debug("{} could not release {}", description(), ids, error);
          }
        });
    return released;
  }

  @SuppressWarnings("unchecked")
  private RedisIncomingMessage<T> claimedMessage(List<Object> entry) {
    String id = text(entry.get(0));
    List<byte[]> fields = new ArrayList<>();
    for (Object field : (List<Object>) entry.get(1)) {
      fields.add((byte[]) field);
    }
    int deliveries = (int) Math.min(Integer.MAX_VALUE, asLong(entry.get(2)));
    return new RedisIncomingMessage<>(
        this, EntryLayout.parse(spec.topic(), id, fields), Math.max(0, deliveries - 1));
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

  /** How many more entries the waiting receives could take. */
  private int needLocked() {
    return waiting.liveCount() - ready.size();
  }

  /**
   * What to start now, marked as started: a recovery when one is due and no read or claim is in
   * flight, otherwise a read when receives wait for more entries than are ready.
   */
  private Step nextStepLocked() {
    if (closedReason != null || reading || recovering) {
      return Step.NONE;
    }
    if (recoveryDue) {
      if (claiming) {
        // The claim's completion comes back here.
        return Step.NONE;
      }
      recoveryDue = false;
      recovering = true;
      return Step.RECOVER;
    }
    if (needLocked() > 0) {
      reading = true;
      return Step.READ;
    }
    return Step.NONE;
  }

  private void addTimer(ScheduledFuture<?> timer) {
    if (timer != null) {
      timers.add(timer);
    }
  }

  private String description() {
    return "consumer "
        + name
        + " of subscription '"
        + spec.subscription()
        + "' on topic '"
        + spec.topic()
        + "'";
  }

  private static CompletableFuture<Void> createGroup(
      RedisAsyncCommands<byte[], byte[]> commands, SubscriptionSpec<?> spec) {
    String start = spec.initialPosition() == InitialPosition.EARLIEST ? "0" : "$";
    return commands
        .xgroupCreate(
            XReadArgs.StreamOffset.from(RedisKeys.stream(spec.topic()), start),
            utf8(spec.subscription()),
            new XGroupCreateArgs().mkstream(true))
        .toCompletableFuture()
        .handle(
            (ok, error) -> {
              Throwable cause = unwrapped(error);
              // BUSYGROUP: the subscription exists already and keeps its position.
              if (cause == null
                  || (cause.getMessage() != null && cause.getMessage().startsWith("BUSYGROUP"))) {
                return null;
              }
              throw new CompletionException(cause);
            });
  }

  private static CompletableFuture<Long> leave(
      RedisAsyncCommands<byte[], byte[]> commands, SubscriptionSpec<?> spec, String name) {
    return StreamScripts.LEAVE.run(
        commands,
        ScriptOutputType.INTEGER,
        new byte[][] {
          RedisKeys.members(spec.topic(), spec.subscription()), RedisKeys.stream(spec.topic())
        },
        memberOf(spec, name),
        utf8(spec.subscription()),
        utf8(name),
        ascii(BusSettings.RELEASED_IDLE_MILLIS));
  }

  private static byte[] memberOf(SubscriptionSpec<?> spec, String name) {
    return utf8((spec.mode() == SubscriptionMode.EXCLUSIVE ? "E:" : "S:") + name);
  }

  /** Why a consumer may not join, from the heartbeat script's {0, mode, count} answer. */
  private static String refusal(SubscriptionSpec<?> spec, List<Object> refused) {
    SubscriptionMode theirs =
        "E".equals(text(refused.get(1))) ? SubscriptionMode.EXCLUSIVE : SubscriptionMode.SHARED;
    long count = asLong(refused.get(2));
    String subscription =
        "subscription '" + spec.subscription() + "' on topic '" + spec.topic() + "'";
    if (theirs == SubscriptionMode.EXCLUSIVE) {
      return subscription
          + " is EXCLUSIVE and already has a consumer"
          + (spec.mode() == SubscriptionMode.SHARED ? "; a SHARED consumer cannot join it" : "");
    }
    return subscription
        + " is SHARED with "
        + count
        + " consumer(s); an EXCLUSIVE consumer cannot join it";
  }

  /**
   * Whether the group or its stream is gone: NOGROUP for a read issued after, UNBLOCKED for a read
   * that was waiting when the stream was deleted.
   */
  private static boolean isNoGroup(Throwable error) {
    String message = error.getMessage();
    return message != null && (message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED"));
  }

  private static long asLong(Object value) {
    return value instanceof Long number ? number : Long.parseLong(text(value));
  }

  private static String text(Object value) {
    return value instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }

  private static byte[] ascii(long number) {
    return ascii(Long.toString(number));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

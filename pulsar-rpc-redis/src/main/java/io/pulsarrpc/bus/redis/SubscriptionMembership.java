package io.pulsarrpc.bus.redis;

import static io.pulsarrpc.bus.redis.RedisValues.asLong;
import static io.pulsarrpc.bus.redis.RedisValues.ascii;
import static io.pulsarrpc.bus.redis.RedisValues.text;
import static io.pulsarrpc.bus.support.Failures.unwrapped;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A consumer's place in its subscription: the lease in the subscription's members that emulates
 * exclusive subscriptions (Redis has none), and the consumer group behind the subscription.
 *
 * <p>Joining and renewing are one Lua script ({@link StreamScripts#HEARTBEAT}) that checks the live
 * members' modes and adds or renews this consumer's lease atomically, so two consumers racing for
 * an exclusive subscription cannot both win. Leaving ({@link StreamScripts#LEAVE}) removes the
 * lease and hands the consumer's pending entries to the group at once. Stateless.
 */
final class SubscriptionMembership {

  private SubscriptionMembership() {}

  /**
   * Joins or renews the lease of {@code keys.member()} for {@code lease}, and resets the idle time
   * of the pending entries {@code heldIds}. The answer is {1} when the consumer is a member, or {0,
   * mode, count} (see {@link #refusal}) when live members of another mode, or an exclusive one,
   * hold the subscription.
   */
  static CompletableFuture<List<Object>> renew(
      RedisAsyncCommands<byte[], byte[]> commands,
      ConsumerKeys keys,
      Duration lease,
      List<String> heldIds) {
    byte[][] args = new byte[4 + heldIds.size()][];
    args[0] = keys.member();
    args[1] = ascii(lease.toMillis());
    args[2] = keys.group();
    args[3] = keys.consumer();
    for (int i = 0; i < heldIds.size(); i++) {
      args[4 + i] = ascii(heldIds.get(i));
    }
    return StreamScripts.HEARTBEAT.run(
        commands, ScriptOutputType.MULTI, new byte[][] {keys.members(), keys.stream()}, args);
  }

  /** Whether the answer of {@link #renew} says the consumer is a member. */
  static boolean isMember(List<Object> answer) {
    return asLong(answer.get(0)) != 0;
  }

  /**
   * Leaves the subscription: removes the lease and makes the consumer's pending entries claimable
   * at once, or, for a temporary subscription, destroys its group with them. Completes with how
   * many entries were handed back (always 0 for a temporary subscription).
   */
  static CompletableFuture<Long> leave(
      RedisAsyncCommands<byte[], byte[]> commands, ConsumerKeys keys, boolean temporary) {
    if (temporary) {
      return StreamScripts.LEAVE_TEMPORARY.run(
          commands,
          ScriptOutputType.INTEGER,
          new byte[][] {keys.members(), keys.stream(), RedisKeys.temporaryGroups(keys.topic())},
          keys.member(),
          keys.group());
    }
    return StreamScripts.LEAVE.run(
        commands,
        ScriptOutputType.INTEGER,
        new byte[][] {keys.members(), keys.stream()},
        keys.member(),
        keys.group(),
        keys.consumer(),
        ascii(BusSettings.RELEASED_IDLE_MILLIS));
  }

  /**
   * Creates the subscription's group at the spec's initial position ({@code $} or {@code 0}), and
   * the stream with it; an existing group keeps its position. A temporary subscription's group is
   * created at {@code $} and recorded as temporary ({@link StreamScripts#CREATE_TEMPORARY}); the
   * future fails with an {@link IllegalStateException} when a durable group has its name.
   */
  static CompletableFuture<Void> createGroup(
      RedisAsyncCommands<byte[], byte[]> commands, SubscriptionSpec<?> spec) {
    if (spec.isTemporary()) {
      return StreamScripts.CREATE_TEMPORARY
          .<Long>run(
              commands,
              ScriptOutputType.INTEGER,
              new byte[][] {
                RedisKeys.stream(spec.topic()), RedisKeys.temporaryGroups(spec.topic())
              },
              RedisKeys.utf8(spec.subscription()))
          .thenApply(
              created -> {
                if (created == 0) {
                  throw new IllegalStateException(
                      "subscription '"
                          + spec.subscription()
                          + "' on topic '"
                          + spec.topic()
                          + "' is durable; a temporary subscription cannot take its name");
                }
                return null;
              });
    }
    String start = spec.initialPosition() == InitialPosition.EARLIEST ? "0" : "$";
    return commands
        .xgroupCreate(
            XReadArgs.StreamOffset.from(RedisKeys.stream(spec.topic()), start),
            RedisKeys.utf8(spec.subscription()),
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

  /** Why a consumer may not join, from the {0, mode, count} answer of {@link #renew}. */
  static String refusal(SubscriptionSpec<?> spec, List<Object> refused) {
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
   * Whether the group or its stream is gone: NOGROUP for a command issued after, UNBLOCKED for a
   * read that was waiting when the stream was deleted.
   */
  static boolean isNoGroup(Throwable error) {
    String message = error.getMessage();
    return message != null && (message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED"));
  }
}

package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Subscribes on JetStream: creates the topic's stream and the subscription's durable consumer (or a
 * temporary subscription's ephemeral consumer) when missing, takes the lease of an exclusive
 * subscription and renews it on the bus's timer (one thread for every lease and held message of the
 * bus), or refuses a shared consumer on a subscription with a live exclusive lease, and binds the
 * consumer. Thread-safe; its methods block and run on the bus's workers.
 */
final class JetStreamSubscriber {

  private final Connection connection;
  private final BusSettings settings;
  private final JetStreamProvisioner provisioner;
  private final EarlyDeliveries earlyDeliveries;
  private final Executor callbacks;
  private final ScheduledThreadPoolExecutor timer;

  JetStreamSubscriber(
      Connection connection,
      BusSettings settings,
      JetStreamProvisioner provisioner,
      EarlyDeliveries earlyDeliveries,
      Executor callbacks,
      ThreadFactory timerThreads) {
    this.connection = connection;
    this.settings = settings;
    this.provisioner = provisioner;
    this.earlyDeliveries = earlyDeliveries;
    this.callbacks = callbacks;
    this.timer = new ScheduledThreadPoolExecutor(1, timerThreads);
    this.timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Creates what the subscription needs, then its consumer (not started); blocking, on a worker.
   *
   * @param onClosed told when the consumer closed
   */
  <T> NatsBusConsumer<T> newConsumer(
      SubscriptionSpec<T> spec, Consumer<NatsBusConsumer<?>> onClosed)
      throws IOException, JetStreamApiException {
    String topic = spec.topic();
    String stream = NatsNames.streamName(topic);
    String durable = NatsNames.durableName(spec.subscription());
    String description = "subscription '" + spec.subscription() + "' on topic '" + topic + "'";
    String leaseKey = stream + "." + durable;
    provisioner.ensureStream(topic);
    if (spec.isTemporary()) {
      return newTemporaryConsumer(spec, stream, durable, description, onClosed);
    }
    ExclusiveLease lease = null;
    if (spec.mode() == SubscriptionMode.EXCLUSIVE) {
      JetStreamProvisioner.Bucket bucket =
          provisioner.bucket(
              NatsMessageBus.EXCLUSIVE_LEASES_BUCKET,
              settings.exclusiveLeaseTtl(),
              // A renewal that waits longer than this is too late anyway.
              min(settings.operationTimeout(), settings.exclusiveLeaseTtl().dividedBy(3)),
              "pulsar-rpc: leases of exclusive subscriptions");
      if (bucket.ttl().isZero()) {
        throw new IllegalStateException(
            "the NATS key-value bucket "
                + NatsMessageBus.EXCLUSIVE_LEASES_BUCKET
                + " has no time-to-live, so the lease of a crashed consumer would never expire;"
                + " delete the bucket so that the bus creates it again");
      }
      lease = ExclusiveLease.acquire(bucket.keyValue(), bucket.ttl(), leaseKey, description);
    } else if (ExclusiveLease.isHeld(
        provisioner.existingBucket(NatsMessageBus.EXCLUSIVE_LEASES_BUCKET), leaseKey)) {
      throw new IllegalStateException(
          description + " has an exclusive consumer; a shared consumer cannot join it");
    }
    ScheduledFuture<?> renewal = null;
    try {
      NatsBusConsumer.Binder binder =
          () -> {
            provisioner.forgetStream(stream);
            provisioner.ensureStream(topic);
            provisioner.ensureDurable(
                topic, stream, durable, spec.subscription(), spec.initialPosition());
            return provisioner.bind(stream, durable);
          };
      provisioner.ensureDurable(
          topic, stream, durable, spec.subscription(), spec.initialPosition());
      JetStreamSubscription subscription = provisioner.bind(stream, durable);
      if (lease != null) {
        long period = lease.renewalPeriod().toMillis();
        renewal = timer.scheduleWithFixedDelay(lease::renew, period, period, TimeUnit.MILLISECONDS);
      }
      return newConsumer(spec, subscription, binder, lease, renewal, null, onClosed);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      if (renewal != null) {
        renewal.cancel(false);
      }
      if (lease != null) {
        lease.release();
      }
      throw e;
    }
  }

  /**
   * The consumer of a temporary subscription: an ephemeral consumer of its own, refused when one of
   * that name exists (it has its consumer), made again from new messages when the server deleted it
   * meanwhile, and deleted on close. Needs no lease: the name is the subscription's alone.
   */
  private <T> NatsBusConsumer<T> newTemporaryConsumer(
      SubscriptionSpec<T> spec,
      String stream,
      String name,
      String description,
      Consumer<NatsBusConsumer<?>> onClosed)
      throws IOException, JetStreamApiException {
    String topic = spec.topic();
    if (!provisioner.ensureTemporary(topic, stream, name, spec.subscription())) {
      throw new IllegalStateException(
          description
              + " has a consumer on the server already: a temporary subscription has one"
              + " consumer, and cannot take the name of a durable one");
    }
    NatsBusConsumer.Binder binder =
        () -> {
          provisioner.forgetStream(stream);
          provisioner.ensureStream(topic);
          provisioner.ensureTemporary(topic, stream, name, spec.subscription());
          return provisioner.bind(stream, name);
        };
    try {
      return newConsumer(
          spec,
          provisioner.bind(stream, name),
          binder,
          null,
          null,
          () -> {
            try {
              provisioner.deleteConsumer(stream, name);
            } catch (IOException | JetStreamApiException e) {
              throw new IllegalStateException(
                  "could not delete the consumer of "
                      + description
                      + "; the server deletes it after its inactive threshold",
                  e);
            }
          },
          onClosed);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      provisioner.deleteConsumer(stream, name);
      throw e;
    }
  }

  private <T> NatsBusConsumer<T> newConsumer(
      SubscriptionSpec<T> spec,
      JetStreamSubscription subscription,
      NatsBusConsumer.Binder binder,
      ExclusiveLease lease,
      ScheduledFuture<?> renewal,
      Runnable removal,
      Consumer<NatsBusConsumer<?>> onClosed) {
    return new NatsBusConsumer<>(
        spec,
        connection,
        subscription,
        binder,
        lease,
        renewal,
        removal,
        earlyDeliveries,
        new NatsIncomingMessage.Settlement(
            true,
            connection,
            settings.operationTimeout(),
            settings.negativeAckRedeliveryDelay(),
            callbacks),
        callbacks,
        timer,
        settings.ackWait(),
        onClosed);
  }

  /**
   * Stops the timer: leases are no longer renewed (the consumers release theirs when they close)
   * and held messages wait for their consumer's close to be given back.
   */
  void close() {
    timer.shutdownNow();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

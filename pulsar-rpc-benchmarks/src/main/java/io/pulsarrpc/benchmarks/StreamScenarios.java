package io.pulsarrpc.benchmarks;

import io.pulsarrpc.client.PulsarRpcStreamClient;
import io.pulsarrpc.client.PulsarRpcStreamClientBuilder;
import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.Subscription;
import io.pulsarrpc.server.PulsarRpcPublisher;
import io.pulsarrpc.server.PulsarRpcStreamServer;
import io.pulsarrpc.stream.RpcStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pulsar.client.api.Schema;

/**
 * The scenarios of the kinds that are not request-reply, each after its raw baseline in the same
 * run: {@code stream} (messages one way through one stream, as many in flight as the default
 * window, a message done when the peer took it), {@code stream-both} (both ways at once, a window
 * each) and {@code broadcast} (one publisher, {@value #SUBSCRIBERS} broadcast subscribers, an
 * update done when every subscriber got it).
 */
final class StreamScenarios {

  /** How many subscribers receive each update in the broadcast scenario. */
  static final int SUBSCRIBERS = 3;

  /** How many messages are in flight per direction: the stream's default window. */
  static final int WINDOW = PulsarRpcStreamClientBuilder.DEFAULT_WINDOW;

  /** How many updates are in flight in the broadcast scenario. */
  static final int BROADCAST_IN_FLIGHT = 64;

  private static final long SETUP_SECONDS = 60;
  private static final byte SEPARATOR = '|';

  private final BenchmarkOptions options;
  private final byte[] payload;

  StreamScenarios(BenchmarkOptions options, byte[] payload) {
    this.options = options;
    this.payload = payload;
  }

  /**
   * Raw one-way delivery to {@code receivers}, over {@code flows} topics at once, with {@code
   * inFlight} messages in flight per flow.
   */
  LoadDriver.Measurement raw(
      BusEnvironment environment, String name, int receivers, int flows, int inFlight)
      throws Exception {
    List<RawFanOut> fanOuts = new ArrayList<>();
    try {
      for (int i = 0; i < flows; i++) {
        fanOuts.add(environment.openRawFanOut(name + "-" + i, receivers, payload));
      }
      AtomicLong next = new AtomicLong();
      return driver(name)
          .runAsync(
              inFlight * flows,
              id -> fanOuts.get((int) (next.getAndIncrement() % flows)).start(id));
    } finally {
      fanOuts.forEach(RawFanOut::close);
    }
  }

  /**
   * Messages through one stream: from the client to the server, or {@code bothWays} from each side
   * to the other at once. Each side takes every message it receives as soon as it comes.
   */
  LoadDriver.Measurement stream(BusEnvironment environment, boolean bothWays) throws Exception {
    String topic = environment.topic(bothWays ? "stream-both" : "stream");
    CompletableFuture<RpcStream<byte[], byte[]>> accepted = new CompletableFuture<>();
    try (PulsarRpcStreamServer<byte[], byte[]> server =
            PulsarRpcStreamServer.builder(Schema.BYTES, Schema.BYTES)
                .requestTopic(topic)
                .subscription("bench-stream-server")
                .handler(
                    stream -> {
                      takeEverything(stream);
                      accepted.complete(stream);
                    })
                .build(environment.serverBus());
        PulsarRpcStreamClient<byte[], byte[]> client =
            PulsarRpcStreamClient.builder(Schema.BYTES, Schema.BYTES)
                .requestTopic(topic)
                .build(environment.clientBus())) {
      RpcStream<byte[], byte[]> opened = client.openAsync().get(SETUP_SECONDS, TimeUnit.SECONDS);
      takeEverything(opened);
      RpcStream<byte[], byte[]> serverSide = accepted.get(SETUP_SECONDS, TimeUnit.SECONDS);
      LoadDriver driver = driver(bothWays ? "stream-both" : "stream");
      if (!bothWays) {
        return driver.runAsync(WINDOW, id -> opened.sendAsync(payload));
      }
      AtomicLong next = new AtomicLong();
      return driver.runAsync(
          2 * WINDOW,
          id -> (next.getAndIncrement() % 2 == 0 ? opened : serverSide).sendAsync(payload));
    }
  }

  /** Updates from one publisher to {@value #SUBSCRIBERS} broadcast subscribers. */
  LoadDriver.Measurement broadcast(BusEnvironment environment) throws Exception {
    String topic = environment.topic("broadcast");
    PendingAnswers pending = new PendingAnswers();
    try (PulsarRpcPublisher<byte[]> publisher =
            PulsarRpcPublisher.builder(Schema.BYTES)
                .updateTopic(topic)
                .build(environment.serverBus());
        PulsarRpcSubscriber<byte[]> subscriber =
            PulsarRpcSubscriber.builder(Schema.BYTES)
                .updateTopic(topic)
                .build(environment.clientBus())) {
      List<Subscription> subscriptions = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        subscriptions.add(
            subscriber
                .subscribeAsync(update -> pending.answered(idOf(update)))
                .get(SETUP_SECONDS, TimeUnit.SECONDS));
      }
      try {
        return driver("broadcast")
            .runAsync(
                BROADCAST_IN_FLIGHT,
                id -> pending.send(id, SUBSCRIBERS, () -> publisher.publishAsync(update(id))));
      } finally {
        subscriptions.forEach(Subscription::close);
      }
    }
  }

  private LoadDriver driver(String name) {
    return new LoadDriver(name + "-", options.warmUp(), options.duration());
  }

  /** The update of call {@code id}: the id, a separator, the payload. */
  private byte[] update(String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    byte[] update = new byte[idBytes.length + 1 + payload.length];
    System.arraycopy(idBytes, 0, update, 0, idBytes.length);
    update[idBytes.length] = SEPARATOR;
    System.arraycopy(payload, 0, update, idBytes.length + 1, payload.length);
    return update;
  }

  private static String idOf(byte[] update) {
    int end = 0;
    while (end < update.length && update[end] != SEPARATOR) {
      end++;
    }
    return new String(update, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * Takes every message the stream receives, as soon as it comes, until the stream closes; a
   * receive that completes inline is taken in a loop, not by recursion.
   */
  private static void takeEverything(RpcStream<byte[], byte[]> stream) {
    while (true) {
      CompletableFuture<byte[]> next = stream.receiveAsync();
      if (!next.isDone()) {
        next.whenComplete(
            (message, failure) -> {
              if (failure == null) {
                takeEverything(stream);
              }
            });
        return;
      }
      if (next.isCompletedExceptionally()) {
        return;
      }
    }
  }
}

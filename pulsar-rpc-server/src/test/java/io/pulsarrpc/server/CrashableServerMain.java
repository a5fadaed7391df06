package io.pulsarrpc.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * A server in a JVM of its own, for {@link ServerCrashIT} to kill with {@code kill -9}. It prints
 * one line per event on standard output, flushed at once so a crash loses none: {@code ready},
 * {@code start <correlation id>} when its handler starts and {@code remembered <key>} once a reply
 * is in the deduplication store.
 *
 * <p>Arguments: service URL, request topic, subscription, deduplication topic, server name. The
 * handler answers {@code "<request> by <name>"} after 100 ms. Replies are batched for 50 ms, so a
 * reply stays remembered-but-unacknowledged for a while, as it would with a slow reply topic. The
 * JVM exits when its parent closes standard input.
 */
public final class CrashableServerMain {

  private CrashableServerMain() {}

  public static void main(String[] args) throws Exception {
    String serviceUrl = args[0];
    String requestTopic = args[1];
    String subscription = args[2];
    String deduplicationTopic = args[3];
    String name = args[4];
    PulsarClient client = PulsarClient.builder().serviceUrl(serviceUrl).build();
    DeduplicationStore store =
        reporting(DeduplicationStore.pulsarTopic(client, deduplicationTopic));
    PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .requestSubscription(subscription)
        .maxConcurrentRequests(32)
        .replyProducerConfig(Map.of("batchingMaxPublishDelayMicros", 50_000L))
        .deduplication(Duration.ofMinutes(5), store)
        .build(
            client,
            (RequestHandler<String, String>)
                (context, request) -> {
                  System.out.println("start " + context.correlationId());
                  return CompletableFuture.supplyAsync(
                      () -> request + " by " + name,
                      CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
                },
            (id, request) -> {});
    System.out.println("ready");
    exitWhenParentGoes();
  }

  private static DeduplicationStore reporting(DeduplicationStore store) {
    return new DeduplicationStore() {
      @Override
      public CompletableFuture<Optional<RememberedReply>> find(String key) {
        return store.find(key);
      }

      @Override
      public CompletableFuture<Void> remember(String key, RememberedReply reply) {
        return store.remember(key, reply).thenRun(() -> System.out.println("remembered " + key));
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }

  private static void exitWhenParentGoes() {
    try (InputStream in = System.in) {
      byte[] buffer = new byte[64];
      while (in.read(buffer) >= 0) {
        // The parent never writes; reading only waits for end of stream.
      }
    } catch (IOException e) {
      // A broken pipe means the parent is gone, as end of stream does.
    }
    Runtime.getRuntime().halt(0);
  }
}

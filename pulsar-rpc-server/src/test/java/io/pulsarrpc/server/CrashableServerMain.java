package io.pulsarrpc.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
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
 * <p>Arguments: service URL, request topic, subscription, deduplication topic, server name, the
 * correlation ids whose handler never finishes (comma-separated) and the correlation ids whose
 * reply is remembered and then never sent. Every other request is answered {@code "<request> by
 * <name>"} after 100 ms. The held requests make the kill's scenario certain rather than likely:
 * whenever the test kills this server, the first kind are running and the second are answered in
 * the store but not acknowledged. The JVM exits when its parent closes standard input.
 */
public final class CrashableServerMain {

  private CrashableServerMain() {}

  public static void main(String[] args) throws Exception {
    String serviceUrl = args[0];
    String requestTopic = args[1];
    String subscription = args[2];
    String deduplicationTopic = args[3];
    String name = args[4];
    Set<String> neverFinished = Set.of(args[5].split(","));
    Set<String> neverSent = Set.of(args[6].split(","));
    PulsarClient client = PulsarClient.builder().serviceUrl(serviceUrl).build();
    DeduplicationStore store =
        reporting(DeduplicationStore.pulsarTopic(client, deduplicationTopic), neverSent);
    PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(requestTopic)
        .requestSubscription(subscription)
        .maxConcurrentRequests(32)
        .deduplication(Duration.ofMinutes(5), store)
        .build(
            client,
            (RequestHandler<String, String>)
                (context, request) -> {
                  System.out.println("start " + context.correlationId());
                  if (neverFinished.contains(context.correlationId())) {
                    return new CompletableFuture<>();
                  }
                  return CompletableFuture.supplyAsync(
                      () -> request + " by " + name,
                      CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
                },
            (id, request) -> {});
    System.out.println("ready");
    exitWhenParentGoes();
  }

  /**
   * {@code store}, printing each key it remembered; the server never learns that the replies to
   * {@code neverSent} were remembered, so it never sends or acknowledges them.
   */
  private static DeduplicationStore reporting(DeduplicationStore store, Set<String> neverSent) {
    return new DeduplicationStore() {
      @Override
      public CompletableFuture<Optional<RememberedReply>> find(String key) {
        return store.find(key);
      }

      @Override
      public CompletableFuture<Void> remember(String key, RememberedReply reply) {
        return store
            .remember(key, reply)
            .thenRun(() -> System.out.println("remembered " + key))
            .thenCompose(
                remembered ->
                    neverSent.contains(ServerCrashIT.correlationIdOf(key))
                        ? new CompletableFuture<>()
                        : CompletableFuture.completedFuture(null));
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

package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestCallBack;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server process dies by {@code kill -9} in the middle of handling: what it had not acknowledged
 * is redelivered to another server and answered; with a deduplication store shared on a Pulsar
 * topic, the requests it had already answered are answered again from the store, not run again.
 *
 * <p>The kill's scenario is made, not hoped for: the first server holds chosen requests running and
 * holds the replies of others remembered but unsent ({@link CrashableServerMain}), and is killed
 * only once all of them are in that state, some 850 requests into the flow.
 */
@ExtendWith(TestBrokersExtension.class)
class ServerCrashIT {

  private static final int CALLS = 1_000;
  private static final String SUBSCRIPTION = "workers";
  // Spread over the flow, so the kill lands after most calls were answered and acknowledged.
  private static final Set<String> NEVER_FINISHED =
      Set.of("call-103", "call-353", "call-603", "call-853");
  private static final Set<String> NEVER_SENT =
      Set.of("call-107", "call-357", "call-607", "call-857");

  @Test
  @SuppressWarnings("try") // The second server only has to run while the calls complete.
  void requestsOfAKilledServerAreAnsweredByAnotherAndAnsweredOnesAreNotRunAgain(
      PulsarTestBroker broker) throws Exception {
    String requestTopic = broker.newTopic("crash-requests");
    String deduplicationTopic = broker.newTopic("crash-replies-sent");
    Path output = Files.createTempFile("crashable-server", ".log");
    Process first =
        startServerProcess(broker.serviceUrl(), requestTopic, deduplicationTopic, output);
    Map<String, Queue<String>> repliesById = new ConcurrentHashMap<>();
    Set<String> ranOnSecond = ConcurrentHashMap.newKeySet();
    Set<String> resentBySecond = ConcurrentHashMap.newKeySet();
    try (PulsarRpcClient<String, String> client =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .replyTopic(broker.newTopic("crash-replies"))
            .replySubscription("caller")
            .replyTimeout(Duration.ofMinutes(2))
            .maxPendingRequests(CALLS)
            .requestCallBack(
                new RequestCallBack<>() {
                  @Override
                  public void onReplySuccess(
                      String id, String sub, String value, CompletableFuture<String> f) {
                    repliesById.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(value);
                    f.complete(value);
                  }
                })
            .build(broker.client())) {
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> lines(output, "ready").size() == 1 || !first.isAlive());
      assertThat(first.isAlive()).as("server process started; see %s", output).isTrue();

      Map<String, CompletableFuture<String>> calls = new LinkedHashMap<>();
      for (int i = 0; i < CALLS; i++) {
        calls.put("call-" + i, client.requestAsync("call-" + i, "job " + i));
      }
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  lines(output, "start").containsAll(NEVER_FINISHED)
                      && rememberedIds(output).containsAll(NEVER_SENT));
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Set<String> startedOnFirst = lines(output, "start");
      Set<String> rememberedByFirst = rememberedIds(output);

      try (DeduplicationStore shared =
              DeduplicationStore.pulsarTopic(broker.client(), deduplicationTopic);
          PulsarRpcServer<String, String> second =
              PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                  .requestTopic(requestTopic)
                  .requestSubscription(SUBSCRIPTION)
                  .deduplication(Duration.ofMinutes(5), noting(shared, resentBySecond))
                  .build(
                      broker.client(),
                      (RequestHandler<String, String>)
                          (context, request) -> {
                            ranOnSecond.add(context.correlationId());
                            return CompletableFuture.completedFuture(request + " by second");
                          },
                      (id, request) -> {})) {
        for (Map.Entry<String, CompletableFuture<String>> call : calls.entrySet()) {
          String number = call.getKey().substring("call-".length());
          assertThat(call.getValue().get(2, TimeUnit.MINUTES)).startsWith("job " + number + " by ");
        }
      }

      Set<String> interrupted = new HashSet<>(startedOnFirst);
      interrupted.removeAll(rememberedByFirst);
      Set<String> runTwice = new HashSet<>(rememberedByFirst);
      runTwice.retainAll(ranOnSecond);
      System.out.printf(
          "Server crash: %d calls answered; first server started %d, remembered %d replies, was"
              + " killed with %d unfinished; second server ran %d, re-sent %d remembered replies"
              + " (%d of them reached the caller twice); remembered replies run again: %d%n",
          calls.size(),
          startedOnFirst.size(),
          rememberedByFirst.size(),
          interrupted.size(),
          ranOnSecond.size(),
          resentBySecond.size(),
          resentBySecond.stream().filter(id -> repliesById.get(id).size() > 1).count(),
          runTwice.size());

      assertThat(client.pendingRequestSize()).isZero();
      assertThat(interrupted).as("requests the kill interrupted").containsAll(NEVER_FINISHED);
      assertThat(ranOnSecond).as("interrupted requests run again").containsAll(NEVER_FINISHED);
      assertThat(resentBySecond).as("remembered replies re-sent").containsAll(NEVER_SENT);
      assertThat(ranOnSecond)
          .as("interrupted requests run again")
          .containsAll(interrupted.stream().filter(id -> !resentBySecond.contains(id)).toList());
      assertThat(startedOnFirst).containsAll(resentBySecond);
      assertThat(runTwice).as("remembered replies whose handler ran again").isEmpty();
      assertThat(resentBySecond)
          .allSatisfy(
              id ->
                  assertThat(repliesById.get(id))
                      .as("replies to %s", id)
                      .isNotEmpty()
                      .allMatch(value -> value.endsWith(" by first")));
    } finally {
      first.destroyForcibly();
    }
  }

  private static Process startServerProcess(
      String serviceUrl, String requestTopic, String deduplicationTopic, Path output)
      throws IOException {
    List<String> command =
        List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            CrashableServerMain.class.getName(),
            serviceUrl,
            requestTopic,
            SUBSCRIPTION,
            deduplicationTopic,
            "first",
            String.join(",", NEVER_FINISHED),
            String.join(",", NEVER_SENT));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .directory(new File(System.getProperty("java.io.tmpdir")))
        .start();
  }

  /** The rest of each line of {@code output} that starts with {@code event}. */
  private static Set<String> lines(Path output, String event) throws IOException {
    return Files.readAllLines(output, StandardCharsets.UTF_8).stream()
        .filter(line -> line.equals(event) || line.startsWith(event + " "))
        .map(line -> line.substring(event.length()).trim())
        .collect(Collectors.toSet());
  }

  /** The correlation ids of the replies the server in {@code output} remembered. */
  private static Set<String> rememberedIds(Path output) throws IOException {
    return lines(output, "remembered").stream()
        .map(ServerCrashIT::correlationIdOf)
        .collect(Collectors.toSet());
  }

  /** The correlation id in a deduplication key ({@code <length>:<subscription>:<id>}). */
  static String correlationIdOf(String key) {
    return key.substring(key.indexOf(':', key.indexOf(':') + 1) + 1);
  }

  /** {@code store}, noting the correlation id of each request it found a reply for. */
  private static DeduplicationStore noting(DeduplicationStore store, Set<String> found) {
    return new DeduplicationStore() {
      @Override
      public CompletableFuture<Optional<RememberedReply>> find(String key) {
        return store
            .find(key)
            .whenComplete(
                (reply, failure) -> {
                  if (reply != null && reply.isPresent()) {
                    found.add(correlationIdOf(key));
                  }
                });
      }

      @Override
      public CompletableFuture<Void> remember(String key, RememberedReply reply) {
        return store.remember(key, reply);
      }

      @Override
      public void close() {}
    };
  }
}

package io.pulsarrpc.examples.guide;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.SelectionOptions;
import io.pulsarrpc.server.PulsarRpcServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** Runs a job on the least busy of three servers, picked by the scores they offer. */
public final class AffinityCallSnippet {

  private static final int CAPACITY = 8;

  private AffinityCallSnippet() {}

  /** Starts three servers on {@code topic}, makes one affinity call, and returns its reply. */
  public static String run(PulsarClient pulsar, String topic) throws Exception {
    try (PulsarRpcServer<String, String> busy = transcoder(pulsar, topic, "busy", 7);
        PulsarRpcServer<String, String> idle = transcoder(pulsar, topic, "idle", 0);
        PulsarRpcServer<String, String> full = transcoder(pulsar, topic, "full", CAPACITY);
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topic)
                .replyTopic(topic + "-replies")
                .replySubscription("transcode-client-1")
                .build(pulsar)) {

      SelectionOptions leastBusy =
          SelectionOptions.builder()
              .minimumAffinity(0.25) // less than a quarter free: not eligible
              .maximumAffinity(1.0) // an idle server is picked at once
              .shortCircuitTimeout(Duration.ofMillis(50)) // after the first eligible offer
              .affinityTimeout(Duration.ofSeconds(5)) // for offers in all
              .build();
      String reply = client.request("cat.mp4", RequestOptions.defaults().withSelection(leastBusy));
      System.out.println(reply);
      return reply;
    }
  }

  /** A server whose score is its free share: {@code running} of {@link #CAPACITY} jobs run. */
  private static PulsarRpcServer<String, String> transcoder(
      PulsarClient pulsar, String topic, String name, int running) throws Exception {
    AtomicInteger jobs = new AtomicInteger(running);
    return PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(topic)
        .requestSubscription("transcoders")
        .maxConcurrentRequests(CAPACITY)
        // Higher wins; 0 = not available (never picked); negative = will not answer.
        .affinity(video -> 1.0 - (double) jobs.get() / CAPACITY)
        .build(
            pulsar,
            video -> {
              jobs.incrementAndGet();
              return CompletableFuture.supplyAsync(() -> name + " transcoded " + video)
                  .whenComplete((done, failure) -> jobs.decrementAndGet());
            },
            (id, video) -> {});
  }
}

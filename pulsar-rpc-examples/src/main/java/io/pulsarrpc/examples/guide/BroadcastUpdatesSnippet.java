package io.pulsarrpc.examples.guide;

import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.SubscribeOptions;
import io.pulsarrpc.client.Subscription;
import io.pulsarrpc.client.UpdateOverflow;
import io.pulsarrpc.server.PulsarRpcPublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** Pushes a job's progress for region "eu" to two dashboards, each of which sees every update. */
public final class BroadcastUpdatesSnippet {

  private BroadcastUpdatesSnippet() {}

  /** Publishes five steps of a job and returns what the wall dashboard showed. */
  public static List<String> run(PulsarClient pulsar, String updateTopic) throws Exception {
    try (PulsarRpcSubscriber<String> dashboards =
            PulsarRpcSubscriber.builder(Schema.STRING).updateTopic(updateTopic).build(pulsar);
        PulsarRpcPublisher<String> progress =
            PulsarRpcPublisher.builder(Schema.STRING).updateTopic(updateTopic).build(pulsar)) {

      List<String> wall = new CopyOnWriteArrayList<>();
      CountDownLatch finished = new CountDownLatch(2);
      // A broadcast subscription: every update of topic "eu", in publish order.
      Subscription wallDashboard =
          dashboards.subscribe(
              update -> {
                wall.add(update);
                if (update.endsWith("100%")) {
                  finished.countDown();
                }
              },
              SubscribeOptions.defaults().withTopic("eu"));
      // A dashboard that shows only the latest state: when it falls behind, it drops the oldest.
      Subscription phone =
          dashboards.subscribe(
              update -> {
                if (update.endsWith("100%")) {
                  finished.countDown();
                }
              },
              SubscribeOptions.defaults()
                  .withTopic("eu")
                  .withMaxBufferedUpdates(1)
                  .withOverflow(UpdateOverflow.DROP_OLDEST));

      for (int percent = 0; percent <= 100; percent += 25) {
        progress.publish("eu", "job-7 " + percent + "%");
      }
      progress.publish("us", "job-8 10%"); // not for the "eu" dashboards

      finished.await(30, TimeUnit.SECONDS);
      System.out.println("wall: " + wall + ", phone dropped " + phone.droppedUpdates());
      wallDashboard.close();
      return wall;
    }
  }
}

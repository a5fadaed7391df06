package io.pulsarrpc.examples.guide;

import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.SubscribeOptions;
import io.pulsarrpc.server.PulsarRpcPublisher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** Shares uploaded images between two thumbnail workers: each image goes to one of them. */
public final class QueueUpdatesSnippet {

  private QueueUpdatesSnippet() {}

  /** Publishes ten uploads and returns which worker made each thumbnail. */
  public static Map<String, String> run(PulsarClient pulsar, String updateTopic) throws Exception {
    try (PulsarRpcSubscriber<String> workers =
            PulsarRpcSubscriber.builder(Schema.STRING).updateTopic(updateTopic).build(pulsar);
        PulsarRpcPublisher<String> uploads =
            PulsarRpcPublisher.builder(Schema.STRING).updateTopic(updateTopic).build(pulsar)) {

      Map<String, String> madeBy = new ConcurrentHashMap<>();
      CountDownLatch done = new CountDownLatch(10);
      // Subscriptions with the same queue group share the updates: each goes to one of them.
      SubscribeOptions queue = SubscribeOptions.defaults().withQueue("thumbnails");
      for (String worker : new String[] {"worker-1", "worker-2"}) {
        workers.subscribe(
            image -> {
              madeBy.put(image, worker);
              done.countDown();
            },
            queue);
      }

      for (int i = 1; i <= 10; i++) {
        uploads.publish("image-" + i + ".png");
      }

      done.await(30, TimeUnit.SECONDS);
      System.out.println("thumbnails: " + madeBy);
      return madeBy;
    }
  }
}

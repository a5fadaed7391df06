package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The deduplication store shared through a Pulsar topic, on a real broker. */
@ExtendWith(TestBrokersExtension.class)
class PulsarTopicDeduplicationStoreIT {

  private static RememberedReply reply(String value, long expiresAt) {
    return new RememberedReply(value.getBytes(), Map.of(), expiresAt);
  }

  @Test
  void aReplyRememberedByOneStoreIsFoundAtOnceByAnotherOnTheSameTopic(PulsarTestBroker broker)
      throws Exception {
    String topic = broker.newTopic("replies-sent");
    try (DeduplicationStore writer = DeduplicationStore.pulsarTopic(broker.client(), topic);
        DeduplicationStore reader = DeduplicationStore.pulsarTopic(broker.client(), topic)) {
      RememberedReply sent = reply("answer", System.currentTimeMillis() + 60_000);

      assertThat(reader.find("k").join()).isEmpty();
      writer.remember("k", sent).join();

      // No waiting: a miss reads the topic to its end before it answers.
      assertThat(reader.find("k").join()).contains(sent);
    }
  }

  @Test
  void concurrentMissesSharingReadsEachSeeWhatWasWrittenBeforeThem(PulsarTestBroker broker)
      throws Exception {
    String topic = broker.newTopic("replies-sent");
    try (DeduplicationStore writer = DeduplicationStore.pulsarTopic(broker.client(), topic);
        DeduplicationStore reader = DeduplicationStore.pulsarTopic(broker.client(), topic)) {
      List<CompletableFuture<Optional<RememberedReply>>> finds = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        writer.remember("k" + i, reply("v" + i, System.currentTimeMillis() + 60_000)).join();
        finds.add(reader.find("k" + i));
      }

      for (int i = 0; i < 200; i++) {
        assertThat(finds.get(i).join()).as("k" + i).isPresent();
      }
    }
  }

  @Test
  void aStoreStartedLaterReadsTheRepliesAlreadyOnTheTopic(PulsarTestBroker broker)
      throws Exception {
    String topic = broker.newTopic("replies-sent");
    RememberedReply sent = reply("answer", System.currentTimeMillis() + 60_000);
    try (DeduplicationStore writer = DeduplicationStore.pulsarTopic(broker.client(), topic)) {
      writer.remember("k", sent).join();
    }
    try (DeduplicationStore later = DeduplicationStore.pulsarTopic(broker.client(), topic)) {
      assertThat(later.find("k").join()).contains(sent);
    }
  }

  @Test
  void expiredRepliesAreNotFoundAndTheSweepRemovesThemFromEveryView(PulsarTestBroker broker)
      throws Exception {
    String topic = broker.newTopic("replies-sent");
    try (PulsarTopicDeduplicationStore sweeping =
            PulsarTopicDeduplicationStore.create(broker.client(), topic);
        PulsarTopicDeduplicationStore other =
            PulsarTopicDeduplicationStore.create(broker.client(), topic)) {
      sweeping.remember("old", reply("old", System.currentTimeMillis() - 1)).join();
      RememberedReply live = reply("live", System.currentTimeMillis() + 60_000);
      sweeping.remember("live", live).join();
      assertThat(other.find("old").join()).isEmpty();
      assertThat(other.find("live").join()).contains(live);
      assertThat(other.keys()).contains("old", "live");

      sweeping.sweep();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(other.keys()).containsExactly("live"));
    }
  }

  @Test
  void aForeignEntryOnTheTopicIsIgnored(PulsarTestBroker broker) throws Exception {
    String topic = broker.newTopic("replies-sent");
    try (DeduplicationStore store = DeduplicationStore.pulsarTopic(broker.client(), topic);
        Producer<byte[]> foreign =
            broker.client().newProducer(Schema.BYTES).topic(topic).create()) {
      foreign.newMessage().key("k").value("not a reply".getBytes()).send();

      assertThat(store.find("k").join()).isEqualTo(Optional.empty());
    }
  }

  @Test
  void aBlankTopicIsRefused(PulsarTestBroker broker) {
    assertThatThrownBy(() -> DeduplicationStore.pulsarTopic(broker.client(), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic must not be blank");
  }
}

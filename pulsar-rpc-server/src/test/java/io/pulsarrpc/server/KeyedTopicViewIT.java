package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The keyed view of a topic, on a real broker: what a refresh guarantees. */
@ExtendWith(TestBrokersExtension.class)
class KeyedTopicViewIT {

  @Test
  void aRefreshStartedAfterAWriteSeesItEveryTime(PulsarTestBroker broker) throws Exception {
    String topic = broker.newTopic("keyed-view");
    try (Producer<byte[]> producer =
            broker.client().newProducer(Schema.BYTES).topic(topic).create();
        KeyedTopicView view = KeyedTopicView.open(broker.client(), topic)) {
      // Each write is followed at once by a refresh, so the entry is usually still being applied
      // by the listener when the refresh learns the topic's end: the race a lookup must not lose.
      Map<String, CompletableFuture<byte[]>> seen = new HashMap<>();
      for (int i = 0; i < 1_000; i++) {
        String key = "k" + i;
        producer.newMessage().key(key).value(("v" + i).getBytes()).send();
        seen.put(key, view.refresh().thenApply(ignored -> view.get(key)));
      }

      for (int i = 0; i < 1_000; i++) {
        assertThat(seen.get("k" + i).join()).as("k" + i).isEqualTo(("v" + i).getBytes());
      }
    }
  }

  @Test
  void anOpenedViewHoldsTheLatestValueOfEachKeyAlreadyOnTheTopic(PulsarTestBroker broker)
      throws Exception {
    String topic = broker.newTopic("keyed-view");
    try (Producer<byte[]> producer =
        broker.client().newProducer(Schema.BYTES).topic(topic).create()) {
      producer.newMessage().key("a").value("1".getBytes()).send();
      producer.newMessage().key("b").value("2".getBytes()).send();
      producer.newMessage().key("a").value("3".getBytes()).send();
      producer.newMessage().key("b").value(null).send();
      producer.newMessage().value("no key".getBytes()).send();
    }

    try (KeyedTopicView view = KeyedTopicView.open(broker.client(), topic)) {
      assertThat(view.keys()).containsExactly("a");
      assertThat(view.get("a")).isEqualTo("3".getBytes());
      assertThat(view.get("b")).isNull();
    }
  }

  @Test
  void aViewOfAnEmptyTopicOpensAndRefreshesAtOnce(PulsarTestBroker broker) throws Exception {
    try (KeyedTopicView view =
        KeyedTopicView.open(broker.client(), broker.newTopic("keyed-view"))) {
      view.refresh().join();

      assertThat(view.keys()).isEmpty();
    }
  }

  @Test
  void aTopicGivenByItsShortNameIsFollowedToo(PulsarTestBroker broker) throws Exception {
    String fullName = broker.newTopic("keyed-view");
    String shortName = fullName.substring(fullName.lastIndexOf('/') + 1);
    assertThat(fullName).startsWith("persistent://public/default/");
    try (Producer<byte[]> producer =
            broker.client().newProducer(Schema.BYTES).topic(fullName).create();
        KeyedTopicView view = KeyedTopicView.open(broker.client(), shortName)) {
      producer.newMessage().key("k").value("v".getBytes()).send();

      view.refresh().join();

      assertThat(view.get("k")).isEqualTo("v".getBytes());
    }
  }

  @Test
  void aRefreshWaitingWhenTheViewClosesFailsAndLaterOnesToo(PulsarTestBroker broker)
      throws Exception {
    String topic = broker.newTopic("keyed-view");
    KeyedTopicView view = KeyedTopicView.open(broker.client(), topic);
    List<CompletableFuture<Void>> refreshes = new ArrayList<>();
    try (Producer<byte[]> producer =
        broker.client().newProducer(Schema.BYTES).topic(topic).create()) {
      for (int i = 0; i < 20; i++) {
        producer.newMessage().key("k" + i).value("v".getBytes()).send();
        refreshes.add(view.refresh());
      }
    }

    view.close();

    // Each refresh either completed before the close or fails with it: none is left waiting.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(refreshes).allMatch(CompletableFuture::isDone));
    assertThatThrownBy(() -> view.refresh().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(PulsarClientException.class);
  }
}

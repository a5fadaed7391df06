package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryDeduplicationStoreTest {

  private static RememberedReply reply(String value, long expiresAt) {
    return new RememberedReply(value.getBytes(), Map.of("k", value), expiresAt);
  }

  private static long inAMinute() {
    return System.currentTimeMillis() + 60_000;
  }

  @Test
  void aRememberedReplyIsFoundUntilItExpires() {
    InMemoryDeduplicationStore store = new InMemoryDeduplicationStore(10);
    RememberedReply live = reply("live", inAMinute());
    store.remember("a", live).join();
    store.remember("b", reply("gone", System.currentTimeMillis() - 1)).join();

    assertThat(store.find("a").join()).contains(live);
    assertThat(store.find("b").join()).isEmpty();
    assertThat(store.find("never").join()).isEmpty();
  }

  @Test
  void expiredRepliesAreDroppedByLaterWrites() {
    InMemoryDeduplicationStore store = new InMemoryDeduplicationStore(10);
    for (int i = 0; i < 5; i++) {
      store.remember("old-" + i, reply("old", System.currentTimeMillis() - 1)).join();
    }
    store.remember("new", reply("new", inAMinute())).join();

    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void whenFullTheOldestReplyIsForgottenFirst() {
    InMemoryDeduplicationStore store = new InMemoryDeduplicationStore(3);
    for (int i = 0; i < 5; i++) {
      store.remember("key-" + i, reply("v" + i, inAMinute())).join();
    }

    assertThat(store.size()).isEqualTo(3);
    assertThat(store.find("key-0").join()).isEmpty();
    assertThat(store.find("key-1").join()).isEmpty();
    assertThat(store.find("key-4").join()).isPresent();
  }

  @Test
  void aKeyRememberedAgainKeepsItsNewReplyWhenTheOldEntryIsDropped() {
    InMemoryDeduplicationStore store = new InMemoryDeduplicationStore(2);
    store.remember("same", reply("first", inAMinute())).join();
    RememberedReply second = reply("second", inAMinute());
    store.remember("same", second).join();
    // Over the bound: the first entry of "same" leaves the queue, its newer reply stays.
    store.remember("other", reply("other", inAMinute())).join();

    assertThat(store.find("same").join()).contains(second);
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> DeduplicationStore.inMemory(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries must be at least 1, got 0");
  }
}

package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

  @Test
  void namesArePersistentInPublicDefaultAndUniquePerCall() {
    String first = TopicNames.unique("orders");
    String second = TopicNames.unique("orders");

    assertThat(first).matches("persistent://public/default/orders-[0-9a-f]{8}");
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void charactersPulsarRejectsInNamesAreReplaced() {
    assertThat(TopicNames.unique("a b/c:d")).startsWith("persistent://public/default/a-b-c-d-");
  }

  @Test
  void blankNamesAreRejected() {
    assertThatThrownBy(() -> TopicNames.unique(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic name");
    assertThatThrownBy(() -> TopicNames.unique(null)).isInstanceOf(IllegalArgumentException.class);
  }
}

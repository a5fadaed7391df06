package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.pulsarrpc.bus.OutgoingMessage;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageSettingsTest {

  private static final long NOW = 1_000_000L;

  private static OutgoingMessage<String> message(Map<String, Object> config) {
    return new OutgoingMessage<>("id-1", "v", Map.of("a", "1"), 0, config);
  }

  @Test
  void withoutConfigTheMessageFieldsAreKept() {
    MessageSettings settings = MessageSettings.resolve(message(Map.of()), NOW, "test");

    assertThat(settings).isEqualTo(new MessageSettings("id-1", Map.of("a", "1"), 0));
  }

  @Test
  void configReplacesTheKeyAndMergesProperties() {
    MessageSettings settings =
        MessageSettings.resolve(
            message(Map.of("key", "id-2", "properties", Map.of("a", "2", "b", "3"))), NOW, "test");

    assertThat(settings.key()).isEqualTo("id-2");
    assertThat(settings.properties()).containsOnly(Map.entry("a", "2"), Map.entry("b", "3"));
  }

  @Test
  void deliverAfterSecondsCountsFromNow() {
    MessageSettings settings =
        MessageSettings.resolve(message(Map.of("deliverAfterSeconds", 5L)), NOW, "test");

    assertThat(settings.deliverAt()).isEqualTo(NOW + 5_000);
  }

  @Test
  void unsupportedKeysAreRefusedNamingTheBusAndEveryKey() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                MessageSettings.resolve(
                    message(Map.of("sequenceId", 1L, "disableReplication", true)), NOW, "redis"))
        .withMessageContaining("the redis bus")
        .withMessageContaining("[disableReplication, sequenceId]");
  }

  @Test
  void deliverAtAndDeliverAfterSecondsTogetherAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                MessageSettings.resolve(
                    message(Map.of("deliverAt", 1L, "deliverAfterSeconds", 1L)), NOW, "test"))
        .withMessageContaining("at most one");
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedNamingKeyAndType() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageSettings.resolve(message(Map.of("deliverAt", 5)), NOW, "test"))
        .withMessageContaining("'deliverAt' must be a java.lang.Long, got java.lang.Integer");
  }

  @Test
  void aNegativeTimeIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageSettings.resolve(message(Map.of("deliverAt", -1L)), NOW, "test"))
        .withMessageContaining("must not be negative");
  }

  @Test
  void aNullValueIsRefusedNamingTheKey() {
    Map<String, Object> config = new HashMap<>();
    config.put("key", null);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageSettings.resolve("id-1", Map.of(), 0, config, NOW, "test"))
        .withMessageContaining("'key' must be a java.lang.String, got null");
  }
}

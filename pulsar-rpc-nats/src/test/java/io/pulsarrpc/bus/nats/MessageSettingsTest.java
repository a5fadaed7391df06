package io.pulsarrpc.bus.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.pulsarrpc.bus.OutgoingMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageSettingsTest {

  private static final long NOW = 1_700_000_000_000L;

  @Test
  void withoutConfigTheMessageFieldsAreUsed() {
    MessageSettings settings =
        MessageSettings.resolve(
            new OutgoingMessage<>("k", "v", Map.of("a", "1"), NOW + 5, Map.of()), NOW);

    assertThat(settings.key()).isEqualTo("k");
    assertThat(settings.properties()).isEqualTo(Map.of("a", "1"));
    assertThat(settings.deliverAt()).isEqualTo(NOW + 5);
  }

  @Test
  void pulsarKeysThatMeanSomethingHereAreApplied() {
    MessageSettings settings =
        MessageSettings.resolve(
            withConfig(
                Map.of(
                    "properties",
                    Map.of("b", "2"),
                    "deliverAfterSeconds",
                    3L,
                    "eventTime",
                    7L,
                    "key",
                    "other")),
            NOW);

    assertThat(settings.properties()).isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(settings.deliverAt()).isEqualTo(NOW + 3_000);
    assertThat(settings.key()).isEqualTo("other");
    assertThat(MessageSettings.resolve(withConfig(Map.of("deliverAt", NOW + 9)), NOW).deliverAt())
        .isEqualTo(NOW + 9);
  }

  @Test
  void otherKeysAreRefusedNamingThem() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                MessageSettings.resolve(
                    withConfig(Map.of("sequenceId", 1L, "compression", "LZ4")), NOW))
        .withMessageContaining("sequenceId")
        .withMessageContaining("compression");
  }

  @Test
  void valuesOfTheWrongTypeOrNegativeTimesAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageSettings.resolve(withConfig(Map.of("deliverAt", 5)), NOW))
        .withMessageContaining("deliverAt")
        .withMessageContaining("java.lang.Long");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> MessageSettings.resolve(withConfig(Map.of("properties", Map.of("n", 1))), NOW))
        .withMessageContaining("properties");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> MessageSettings.resolve(withConfig(Map.of("deliverAfterSeconds", -1L)), NOW))
        .withMessageContaining("deliverAfterSeconds");
  }

  @Test
  void deliverAtAndDeliverAfterSecondsTogetherAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                MessageSettings.resolve(
                    withConfig(Map.of("deliverAt", NOW, "deliverAfterSeconds", 1L)), NOW))
        .withMessageContaining("deliverAt")
        .withMessageContaining("deliverAfterSeconds");
  }

  private static OutgoingMessage<String> withConfig(Map<String, Object> config) {
    return new OutgoingMessage<>("k", "v", Map.of("a", "1"), 0, config);
  }
}

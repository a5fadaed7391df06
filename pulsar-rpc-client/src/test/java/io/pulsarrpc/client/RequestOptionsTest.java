package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestOptionsTest {

  @Test
  void defaultsSetNothing() {
    RequestOptions defaults = RequestOptions.defaults();

    assertThat(defaults.correlationId()).isEmpty();
    assertThat(defaults.timeout()).isEmpty();
    assertThat(defaults.messageConfig()).isEmpty();
  }

  @Test
  void withCopiesLeaveTheOriginalUnchanged() {
    RequestOptions base = RequestOptions.defaults();
    RequestOptions custom =
        base.withCorrelationId("id-1")
            .withTimeout(Duration.ofSeconds(2))
            .withMessageConfig(Map.of("eventTime", 5L));

    assertThat(base).isEqualTo(RequestOptions.defaults());
    assertThat(custom.correlationId()).contains("id-1");
    assertThat(custom.timeout()).contains(Duration.ofSeconds(2));
    assertThat(custom.messageConfig()).containsEntry("eventTime", 5L);
  }

  @Test
  void badValuesAreRejected() {
    RequestOptions options = RequestOptions.defaults();
    assertThatThrownBy(() -> options.withCorrelationId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlationId");
    assertThatThrownBy(() -> options.withTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> options.withMessageConfig(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMessageKeyCannotBeOverriddenBecauseItIsTheCorrelationId() {
    assertThatThrownBy(() -> RequestOptions.defaults().withMessageConfig(Map.of("key", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation id");
  }
}

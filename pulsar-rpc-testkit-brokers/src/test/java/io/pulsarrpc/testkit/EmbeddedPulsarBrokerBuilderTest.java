package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedPulsarBrokerBuilderTest {

  private final EmbeddedPulsarBroker.Builder builder = EmbeddedPulsarBroker.builder();

  @Test
  void settingsTheTestkitChoosesCannotBeOverridden() {
    assertThatThrownBy(() -> builder.brokerSetting("brokerServicePort", "6650"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("brokerServicePort")
        .hasMessageContaining("chosen by the testkit");
  }

  @Test
  void blankKeysAndMultiLineValuesAreRejected() {
    assertThatThrownBy(() -> builder.brokerSetting(" ", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> builder.brokerSetting("a", "1\nb=2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("single-line");
  }

  @Test
  void tokensNeedABrokerBuiltWithTokenAuthentication() {
    try (EmbeddedPulsarBroker plain = builder.build()) {
      assertThatThrownBy(() -> plain.tokenFor("role"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("tokenAuthentication()");
    }
  }

  @Test
  void tokensAreSignedForTheRoleTheyName() {
    try (EmbeddedPulsarBroker secured = builder.tokenAuthentication().build()) {
      String token = secured.tokenFor("orders");

      assertThat(token.split("\\.")).hasSize(3);
      String payload =
          new String(
              java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
              java.nio.charset.StandardCharsets.UTF_8);
      assertThat(payload).contains("\"sub\":\"orders\"");
      assertThatThrownBy(() -> secured.tokenFor(" ")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void startupTimeoutMustBePositive() {
    assertThatThrownBy(() -> builder.startupTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startupTimeout");
  }

  @Test
  void jvmOptionsMustLookLikeOptions() {
    assertThatThrownBy(() -> builder.jvmOption("Xmx1g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JVM option");
  }
}

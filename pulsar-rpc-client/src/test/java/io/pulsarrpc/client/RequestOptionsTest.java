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
  void expectedServersAreOneToTheMostAMultiCallCounts() {
    RequestOptions options = RequestOptions.defaults();
    assertThat(options.expectedServers()).isEmpty();
    assertThat(options.withExpectedServers(3).expectedServers()).hasValue(3);
    assertThat(options.withExpectedServers(MultiCall.MAX_SERVERS).expectedServers())
        .hasValue(MultiCall.MAX_SERVERS);
    assertThatThrownBy(() -> options.withExpectedServers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected servers must be 1 to 1024, got 0");
    assertThatThrownBy(() -> options.withExpectedServers(MultiCall.MAX_SERVERS + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 1025");
    assertThat(options.withExpectedServers(2)).isNotEqualTo(options);
    assertThat(options.withExpectedServers(2).withTimeout(Duration.ofSeconds(1)).expectedServers())
        .as("kept by the other copies")
        .hasValue(2);
  }

  @Test
  void theMessageKeyCannotBeOverriddenBecauseItIsTheCorrelationId() {
    assertThatThrownBy(() -> RequestOptions.defaults().withMessageConfig(Map.of("key", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation id");
  }

  @Test
  void metadataAccumulatesEntryByEntryAndAMapReplacesIt() {
    RequestOptions options =
        RequestOptions.defaults().withMetadata("tenant", "acme").withMetadata("trace-id", "t1");
    assertThat(options.metadata()).containsOnlyKeys("tenant", "trace-id");
    assertThat(options.withMetadata("tenant", "other").metadata()).containsEntry("tenant", "other");
    assertThat(options.withMetadata(Map.of("only", "this")).metadata()).containsOnlyKeys("only");
    assertThat(RequestOptions.defaults().metadata()).isEmpty();
  }

  @Test
  void metadataKeysAndValuesThatCannotTravelOnEveryBusAreRejected() {
    RequestOptions options = RequestOptions.defaults();
    assertThatThrownBy(() -> options.withMetadata("", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata key");
    assertThatThrownBy(() -> options.withMetadata("with space", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata key");
    assertThatThrownBy(() -> options.withMetadata("k", "two\nlines"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line breaks");
    assertThatThrownBy(() -> options.withMetadata("k", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options.withMetadata(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void metadataValuesStayOutOfToStringBecauseTheyMayBeSecrets() {
    RequestOptions options = RequestOptions.defaults().withMetadata("token", "s3cret");

    assertThat(options.toString()).contains("token").doesNotContain("s3cret");
  }

  @Test
  void aTopicImpliesAClaimAndBadTopicNamesAreRejected() {
    RequestOptions eu = RequestOptions.defaults().withTopic("eu-west_1");

    assertThat(eu.topic()).contains("eu-west_1");
    assertThat(eu.claimRequired()).isTrue();
    assertThat(RequestOptions.defaults().claimRequired()).isFalse();
    assertThat(RequestOptions.defaults().withClaimRequired().claimRequired()).isTrue();
    for (String bad : new String[] {null, "", "eu.west", "a b", "x".repeat(65)}) {
      assertThatThrownBy(() -> RequestOptions.defaults().withTopic(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("topic must be 1 to 64");
    }
  }

  @Test
  void optionsKeepEachOtherAcrossCopies() {
    SelectionOptions selection = SelectionOptions.builder().minimumAffinity(0.5).build();
    RequestOptions options =
        RequestOptions.defaults()
            .withTopic("eu")
            .withSelection(selection)
            .withClaimRequired()
            .withTimeout(Duration.ofSeconds(3))
            .withMetadata("k", "v");

    assertThat(options.topic()).contains("eu");
    assertThat(options.selection()).contains(selection);
    assertThat(options.timeout()).contains(Duration.ofSeconds(3));
    assertThat(options).isEqualTo(options.withMetadata("k", "v"));
    assertThat(options).isNotEqualTo(options.withTopic("us"));
    assertThatThrownBy(() -> options.withSelection(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.pulsarrpc.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.common.WireProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateHeadersTest {

  @Test
  void anUpdateWithATopicReadsBackAsWritten() {
    Map<String, String> properties = UpdateHeaders.write("eu");

    assertThat(properties)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(WireProperties.KIND, "update", WireProperties.TOPIC, "eu"));
    assertThat(UpdateHeaders.read(properties)).isEqualTo(new UpdateHeaders("update", "eu"));
    assertThat(UpdateHeaders.read(properties).isUpdate()).isTrue();
  }

  @Test
  void anUpdateWithoutTopicCarriesOnlyItsKind() {
    assertThat(UpdateHeaders.write(null)).isEqualTo(Map.of(WireProperties.KIND, "update"));
  }

  @Test
  void aMessageWithoutKindIsAnUpdateAndOneOfAnotherKindIsNot() {
    assertThat(UpdateHeaders.read(Map.of()).isUpdate()).isTrue();
    assertThat(UpdateHeaders.read(Map.of(WireProperties.KIND, "multi")).isUpdate()).isFalse();
  }
}

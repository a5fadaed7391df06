package io.pulsarrpc.client;

import static io.pulsarrpc.client.AffinitySelection.Outcome.BETTER;
import static io.pulsarrpc.client.AffinitySelection.Outcome.FIRST_ELIGIBLE;
import static io.pulsarrpc.client.AffinitySelection.Outcome.IGNORED;
import static io.pulsarrpc.client.AffinitySelection.Outcome.PICKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AffinitySelectionTest {

  private static AffinitySelection selecting(SelectionOptions.Builder options) {
    return new AffinitySelection(options.build());
  }

  @Test
  void theHighestScoreWinsWhenTimeIsUp() {
    AffinitySelection selection = selecting(SelectionOptions.builder());

    assertThat(selection.offer("a", 0.2)).isEqualTo(FIRST_ELIGIBLE);
    assertThat(selection.offer("b", 0.9)).isEqualTo(BETTER);
    assertThat(selection.offer("c", 0.5)).isEqualTo(IGNORED);

    assertThat(selection.timeUp()).isEqualTo("b");
  }

  @Test
  void zeroNegativeAndNotANumberNeverWin() {
    AffinitySelection selection = selecting(SelectionOptions.builder());

    assertThat(selection.offer("unavailable", 0)).isEqualTo(IGNORED);
    assertThat(selection.offer("refuses", -1)).isEqualTo(IGNORED);
    assertThat(selection.offer("garbage", Double.NaN)).isEqualTo(IGNORED);
    assertThat(selection.offer("infinite", Double.POSITIVE_INFINITY)).isEqualTo(IGNORED);

    assertThat(selection.timeUp()).isNull();
  }

  @Test
  void offersBelowTheMinimumAreNotEligible() {
    AffinitySelection selection = selecting(SelectionOptions.builder().minimumAffinity(0.5));

    assertThat(selection.offer("low", 0.4)).isEqualTo(IGNORED);
    assertThat(selection.offer("enough", 0.5)).isEqualTo(FIRST_ELIGIBLE);

    assertThat(selection.timeUp()).isEqualTo("enough");
  }

  @Test
  void anOfferAtTheMaximumIsPickedAtOnce() {
    AffinitySelection selection = selecting(SelectionOptions.builder().maximumAffinity(0.8));

    assertThat(selection.offer("good", 0.5)).isEqualTo(FIRST_ELIGIBLE);
    assertThat(selection.offer("best", 0.8)).isEqualTo(PICKED);
    assertThat(selection.picked()).isEqualTo("best");
    assertThat(selection.offer("later", 1.0)).isEqualTo(IGNORED);
    assertThat(selection.timeUp()).isNull();
  }

  @Test
  void acceptFirstAvailablePicksTheFirstEligibleOffer() {
    AffinitySelection selection =
        selecting(SelectionOptions.builder().acceptFirstAvailable(true).minimumAffinity(0.3));

    assertThat(selection.offer("too-low", 0.1)).isEqualTo(IGNORED);
    assertThat(selection.offer("first", 0.3)).isEqualTo(PICKED);
    assertThat(selection.picked()).isEqualTo("first");
  }

  @Test
  void theBuilderListsEverySettingThatIsWrong() {
    assertThatThrownBy(
            () ->
                SelectionOptions.builder()
                    .minimumAffinity(Double.NaN)
                    .maximumAffinity(-1)
                    .affinityTimeout(Duration.ofSeconds(-1))
                    .shortCircuitTimeout(null)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minimumAffinity")
        .hasMessageContaining("maximumAffinity")
        .hasMessageContaining("affinityTimeout")
        .hasMessageContaining("shortCircuitTimeout");
    assertThatThrownBy(
            () -> SelectionOptions.builder().minimumAffinity(0.5).maximumAffinity(0.4).build())
        .hasMessageContaining("below minimumAffinity");
  }
}

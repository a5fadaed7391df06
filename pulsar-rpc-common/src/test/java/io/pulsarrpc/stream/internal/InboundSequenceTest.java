package io.pulsarrpc.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundSequenceTest {

  private final InboundSequence sequence = new InboundSequence();

  @Test
  void consecutiveNumbersAreTaken() {
    assertThat(sequence.check(1)).isEqualTo(InboundSequence.Verdict.NEXT);
    assertThat(sequence.check(2)).isEqualTo(InboundSequence.Verdict.NEXT);
    assertThat(sequence.expected()).isEqualTo(3);
  }

  @Test
  void numbersAlreadySeenAreDuplicatesAndCounted() {
    sequence.check(1);
    sequence.check(2);

    assertThat(sequence.check(2)).isEqualTo(InboundSequence.Verdict.DUPLICATE);
    assertThat(sequence.check(1)).isEqualTo(InboundSequence.Verdict.DUPLICATE);
    assertThat(sequence.duplicates()).isEqualTo(2);
    assertThat(sequence.expected()).isEqualTo(3);
  }

  @Test
  void aGapIsOutOfOrderAndNotTaken() {
    sequence.check(1);

    assertThat(sequence.check(3)).isEqualTo(InboundSequence.Verdict.OUT_OF_ORDER);
    assertThat(sequence.expected()).isEqualTo(2);
  }
}

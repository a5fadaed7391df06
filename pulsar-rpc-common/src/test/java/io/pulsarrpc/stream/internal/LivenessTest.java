package io.pulsarrpc.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LivenessTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void heartbeatIsDueAfterThreeQuartersOfTheIntervalWithoutSending() {
    Liveness liveness = new Liveness(4 * SECOND, 4 * SECOND, 0, 0);
    liveness.heard(3 * SECOND);

    assertThat(liveness.check(2 * SECOND)).isEqualTo(Liveness.Verdict.NOTHING);
    assertThat(liveness.check(3 * SECOND)).isEqualTo(Liveness.Verdict.HEARTBEAT_DUE);
    liveness.sent(3 * SECOND);
    assertThat(liveness.check(4 * SECOND)).isEqualTo(Liveness.Verdict.NOTHING);
  }

  @Test
  void peerIsSilentAfterTwoAndAHalfOfItsIntervalsWithoutAWord() {
    Liveness liveness = new Liveness(10 * SECOND, SECOND, 0, 0);

    assertThat(liveness.check(2 * SECOND)).isNotEqualTo(Liveness.Verdict.PEER_SILENT);
    assertThat(liveness.check(5 * SECOND / 2)).isEqualTo(Liveness.Verdict.PEER_SILENT);
    liveness.heard(3 * SECOND);
    assertThat(liveness.check(4 * SECOND)).isNotEqualTo(Liveness.Verdict.PEER_SILENT);
  }

  @Test
  void streamIsIdleWhenNoMessageWentEitherWayForTheIdleTimeout() {
    Liveness liveness = new Liveness(SECOND, SECOND, 5 * SECOND, 0);
    for (long t = 0; t <= 5 * SECOND; t += SECOND / 2) {
      liveness.heard(t);
      liveness.sent(t);
    }

    assertThat(liveness.check(5 * SECOND)).isEqualTo(Liveness.Verdict.IDLE);
    liveness.message(5 * SECOND);
    assertThat(liveness.check(5 * SECOND)).isEqualTo(Liveness.Verdict.NOTHING);
  }

  @Test
  void tickIsAnEighthOfTheShortestPeriodWatched() {
    assertThat(new Liveness(4 * SECOND, 4 * SECOND, 0, 0).tickNanos()).isEqualTo(SECOND / 2);
    assertThat(new Liveness(4 * SECOND, 4 * SECOND, 2 * SECOND, 0).tickNanos())
        .isEqualTo(SECOND / 4);
  }
}

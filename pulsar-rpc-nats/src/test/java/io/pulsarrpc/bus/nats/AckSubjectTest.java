package io.pulsarrpc.bus.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class AckSubjectTest {

  @Test
  void aSubjectWithDomainAndAccountGivesDeliveriesSequenceAndStoreTime() {
    AckSubject subject =
        AckSubject.parse("$JS.ACK._.ACCHASH.orders.workers.3.42.17.1733450000123456789.5.tok");

    assertThat(subject).isEqualTo(new AckSubject(3, 42, 1_733_450_000_123L));
  }

  @Test
  void aSubjectOfAnOlderServerWithoutDomainAndAccountReadsTheSame() {
    AckSubject subject = AckSubject.parse("$JS.ACK.orders.workers.1.7.7.1733450000999000000.0");

    assertThat(subject).isEqualTo(new AckSubject(1, 7, 1_733_450_000_999L));
  }

  @Test
  void otherSubjectsAreRefusedNamingThem() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AckSubject.parse("_INBOX.abc"))
        .withMessageContaining("'_INBOX.abc'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AckSubject.parse("$JS.ACK.orders.workers.x.7.7.1.0"));
    assertThatIllegalArgumentException().isThrownBy(() -> AckSubject.parse("$JS.ACK.a.b.c"));
    assertThatIllegalArgumentException().isThrownBy(() -> AckSubject.parse(null));
  }
}

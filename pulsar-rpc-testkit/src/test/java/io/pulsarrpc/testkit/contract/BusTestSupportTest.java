package io.pulsarrpc.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BusTestSupportTest {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();
  private final BusTestSupport support = BusTestSupport.on(bus, Duration.ofMillis(200));

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void aReceiveThatRunsOutOfPatienceNamesTheSubscriptionItWaitedOn() {
    BusConsumer<String> consumer = support.subscribe("quiet", "listener", SubscriptionMode.SHARED);

    assertThatThrownBy(() -> support.receive(consumer))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("a message for subscription 'listener'")
        .hasMessageContaining("PT0.2S");
  }

  @Test
  void aFailedFutureThrowsItsFailureAsTheCauseAsJoinDoes() {
    IllegalStateException failure = new IllegalStateException("refused");

    assertThatThrownBy(() -> support.join(CompletableFuture.failedFuture(failure)))
        .isInstanceOf(CompletionException.class)
        .hasCause(failure)
        .hasMessageContaining("refused");
  }

  @Test
  void sendAndReceiveCarriesAValueThroughTheBus() {
    assertThat(support.sendAndReceive("round-trip", "hello")).isEqualTo("hello");
  }

  @Test
  void uniqueNamesKeepTheHintAndDiffer() {
    assertThat(BusTestSupport.uniqueName("orders")).startsWith("orders-").hasSize(15);
    assertThat(BusTestSupport.uniqueName("orders"))
        .isNotEqualTo(BusTestSupport.uniqueName("orders"));
  }
}

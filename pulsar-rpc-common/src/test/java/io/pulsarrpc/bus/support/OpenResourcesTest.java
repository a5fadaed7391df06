package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OpenResourcesTest {

  private final OpenResources resources = new OpenResources("TestBus");
  private final List<String> closedInOrder = new ArrayList<>();

  private CompletableFuture<Void> closing(String name) {
    closedInOrder.add(name);
    return CompletableFuture.completedFuture(null);
  }

  @Test
  void aNullSpecIsRefusedNamingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> OpenResources.checkNotNull(null, "producer spec"))
        .withMessage("producer spec must not be null");
  }

  @Test
  void closeAllClosesEveryOpenResourceInRegistrationOrderThenRunsTheLastStep() {
    resources.register("producer", () -> closing("producer"));
    resources.register("consumer", () -> closing("consumer"));

    resources.closeAll(() -> closing("client")).join();

    assertThat(closedInOrder).containsExactly("producer", "consumer", "client");
  }

  @Test
  void aForgottenResourceIsNotClosedAgain() {
    resources.register("producer", () -> closing("producer"));
    resources.forget("producer");

    resources.closeAll(() -> CompletableFuture.completedFuture(null)).join();

    assertThat(closedInOrder).isEmpty();
    assertThat(resources.snapshot()).isEmpty();
  }

  @Test
  void closeAllIsIdempotentAndRunsItsLastStepOnce() {
    CompletableFuture<Void> first = resources.closeAll(() -> closing("client"));
    CompletableFuture<Void> second = resources.closeAll(() -> closing("client"));

    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
    assertThat(closedInOrder).containsExactly("client");
    assertThat(resources.isClosed()).isTrue();
  }

  @Test
  void aResourceArrivingAfterCloseIsClosedAndItsCreationFails() {
    resources.closeAll(() -> CompletableFuture.completedFuture(null));

    CompletableFuture<Object> registered = resources.register("late", () -> closing("late"));

    assertThat(closedInOrder).containsExactly("late");
    assertThat(registered)
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class)
        .withMessageContaining("bus closed: this TestBus was closed");
  }

  @Test
  void closeAllFailsWithTheFirstResourceFailureAfterRunningTheLastStep() {
    IllegalStateException broken = new IllegalStateException("broken");
    resources.register("producer", () -> CompletableFuture.failedFuture(broken));

    CompletableFuture<Void> closed = resources.closeAll(() -> closing("client"));

    assertThat(closedInOrder).containsExactly("client");
    assertThat(closed).isCompletedExceptionally();
    assertThat(closed.handle((ignored, error) -> Failures.unwrapped(error)).join())
        .isSameAs(broken);
  }
}

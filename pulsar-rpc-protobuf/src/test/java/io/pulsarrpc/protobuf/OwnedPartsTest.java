package io.pulsarrpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OwnedPartsTest {

  private final OwnedParts parts = new OwnedParts();
  private final List<String> closed = new CopyOnWriteArrayList<>();

  @Test
  void partsCloseInTheReverseOrderOfTheirMaking() {
    parts.add("bus", () -> closing("bus"));
    parts.add("client", () -> closing("client"));

    parts.closeAll().join();

    assertThat(closed).containsExactly("client", "bus");
  }

  @Test
  void everyPartClosesEvenWhenOneFailsAndTheFirstFailureWins() {
    parts.add("bus", () -> closing("bus"));
    parts.add("earlier", () -> failing("earlier failed"));
    parts.add("later", () -> failing("later failed"));

    assertThatThrownBy(() -> parts.closeAll().join())
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("later failed");
    assertThat(closed).containsExactly("bus");
  }

  @Test
  void aSecondCloseClosesNothingAgain() {
    parts.add("bus", () -> closing("bus"));

    parts.closeAll().join();
    parts.closeAll().join();

    assertThat(closed).containsExactly("bus");
  }

  private static CompletableFuture<Void> failing(String message) {
    return CompletableFuture.failedFuture(new IllegalStateException(message));
  }

  private CompletableFuture<Void> closing(String part) {
    closed.add(part);
    return CompletableFuture.completedFuture(null);
  }
}

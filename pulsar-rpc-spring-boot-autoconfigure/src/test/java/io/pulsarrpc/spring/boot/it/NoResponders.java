package io.pulsarrpc.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The assertion of the tests of {@code pulsar-rpc.client.claim-window}. */
public final class NoResponders {

  private NoResponders() {}

  /**
   * Asserts that {@code call} fails with {@code NO_RESPONDERS} at the end of a claim window of
   * {@code claimWindow}, as the failure's message says.
   */
  public static void assertFailsAtTheClaimWindow(CompletableFuture<?> call, Duration claimWindow) {
    assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            PulsarRpcClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_RESPONDERS))
        .hasMessageEndingWith("within " + claimWindow.toMillis() + " ms");
  }
}

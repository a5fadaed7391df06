package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The assertion that a call failed because no server took it. */
final class NoResponders {

  private NoResponders() {}

  static void assertFailsWithNoResponders(CompletableFuture<?> call) {
    assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PulsarRpcClientException.NoRespondersException.class)
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e).code())
                    .isEqualTo(ErrorCode.NO_RESPONDERS));
  }
}

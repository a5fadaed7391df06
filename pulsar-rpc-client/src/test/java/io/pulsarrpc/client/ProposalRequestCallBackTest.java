package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException.ReplyErrorException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProposalRequestCallBackTest {

  private final ReplyErrorException notFound =
      new ReplyErrorException("orders", ErrorCode.NOT_FOUND, "no order 7", Map.of("order", "7"));

  @Test
  void theTypedEventReachesTheProposalsMessageOnlyForm() {
    List<String> seen = new CopyOnWriteArrayList<>();
    ProposalRequestCallBack<String> callBack =
        new ProposalRequestCallBack<>() {
          @Override
          public void onReplyError(
              String id, String subscription, String message, CompletableFuture<String> f) {
            seen.add(id + "|" + subscription + "|" + message);
          }
        };

    callBack.onReplyError("call-1", "orders", notFound, new CompletableFuture<>());

    assertThat(seen).containsExactly("call-1|orders|no order 7");
  }

  @Test
  void theDefaultFailsTheClientsFutureWithTheTypedError() {
    ReplyFuture<String> future = new ReplyFuture<>();
    future.handingOver(notFound);

    new ProposalRequestCallBack<String>() {}.onReplyError("call-1", "orders", notFound, future);

    assertThat(failureOf(future)).isSameAs(notFound);
  }

  @Test
  void theDefaultCalledWithAnotherFutureFailsItWithAnUnknownCode() {
    CompletableFuture<String> future = new CompletableFuture<>();

    new ProposalRequestCallBack<String>() {}.onReplyError("call-1", "orders", "boom", future);

    assertThat(failureOf(future))
        .isInstanceOfSatisfying(
            ReplyErrorException.class,
            error -> {
              assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN);
              assertThat(error.errorMessage()).isEqualTo("boom");
            });
  }

  private static Throwable failureOf(CompletableFuture<String> future) {
    assertThat(future).isCompletedExceptionally();
    return future.handle((value, failure) -> failure).join();
  }
}

package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

class MultiCallRetryTest {

  private static RetryInterceptor fastRetries() {
    return RetryInterceptor.builder()
        .maxAttempts(3)
        .initialBackoff(Duration.ofMillis(10))
        .jitter(0)
        .build();
  }

  @Test
  void aMultiCallThatNoServerClaimedIsSentAgain() throws Exception {
    try (InMemoryMessageBus bus = InMemoryMessageBus.create()) {
      ScriptedServerGroup late = new ScriptedServerGroup(bus, "requests", "replies", "late");
      try (PulsarRpcClient<String, String> client =
          PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
              .requestTopic("requests")
              .replyTopic("replies")
              .replySubscription("client")
              .replyTimeout(Duration.ofMinutes(1))
              .claimWindow(Duration.ofMillis(200))
              .intercept(fastRetries())
              .build(bus)) {

        CompletableFuture<List<Response<String>>> call =
            client.requestAllAsync("ping", RequestOptions.defaults().withCorrelationId("census"));
        IncomingMessage<String> ignored = late.next();
        IncomingMessage<String> retried = late.next();
        late.claim(retried);
        late.reply(retried, "pong");

        assertThat(ignored.key()).isEqualTo("census");
        assertThat(retried.key()).isEqualTo("census-retry-1");
        assertThat(call.get(30, TimeUnit.SECONDS))
            .containsExactly(Response.success("late", "pong"));
      }
    }
  }

  @Test
  void aMultiCallThatAServerAnsweredIsNeverSentAgain() {
    AtomicInteger attempts = new AtomicInteger();
    ClientInterceptor.MultiChain<String, String> chain =
        new ClientInterceptor.MultiChain<>() {
          @Override
          public ClientCall<String> call() {
            return new ClientCall<>("census", "ping", Duration.ofMinutes(1), Map.of(), Map.of(), 0);
          }

          @Override
          public Consumer<Response<String>> onResponse() {
            return response -> {};
          }

          @Override
          public CompletableFuture<List<Response<String>>> proceed(
              ClientCall<String> call, Consumer<Response<String>> onResponse) {
            attempts.incrementAndGet();
            onResponse.accept(
                Response.failure("a", new RpcException(ErrorCode.UNAVAILABLE, "answered, then")));
            return CompletableFuture.failedFuture(
                new PulsarRpcClientException.NoRespondersException("failed as a whole"));
          }
        };

    CompletableFuture<List<Response<String>>> call = fastRetries().interceptAll(chain);

    assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PulsarRpcClientException.NoRespondersException.class);
    assertThat(attempts).hasValue(1);
  }
}

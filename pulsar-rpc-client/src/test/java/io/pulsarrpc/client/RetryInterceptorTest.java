package io.pulsarrpc.client;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The retry rules, with a scripted interceptor behind the retry interceptor standing in for the
 * server: it answers attempt {@code n} (from 1) as the test says, and nothing is sent.
 */
class RetryInterceptorTest {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();
  private final List<ClientCall<?>> attempts = new CopyOnWriteArrayList<>();
  private PulsarRpcClient<String, String> client;

  @AfterEach
  void close() throws Exception {
    if (client != null) {
      client.close();
    }
    bus.close();
  }

  @Test
  void aRetryableFailureIsRetriedUntilTheCallSucceeds() throws Exception {
    client(
        fastRetries().build(),
        attempt ->
            attempt <= 2
                ? failure(ErrorCode.UNAVAILABLE)
                : CompletableFuture.completedFuture("ok"));

    assertThat(client.request("order-1", "x")).isEqualTo("ok");

    assertThat(attempts).hasSize(3);
  }

  @Test
  void eachAttemptGoesOutWithANewCorrelationIdAndTheRestOfTheCall() throws Exception {
    client(
        fastRetries().build(),
        attempt ->
            attempt <= 2
                ? failure(ErrorCode.RESOURCE_EXHAUSTED)
                : CompletableFuture.completedFuture("ok"));

    client
        .requestAsync(
            "x",
            RequestOptions.defaults().withCorrelationId("order-2").withMetadata("tenant", "acme"))
        .get(10, SECONDS);

    assertThat(attempts)
        .extracting(ClientCall::correlationId)
        .containsExactly("order-2", "order-2-retry-1", "order-2-retry-2");
    assertThat(attempts)
        .allSatisfy(
            call -> {
              assertThat(call.value()).isEqualTo("x");
              assertThat(call.metadata()).containsEntry("tenant", "acme");
            });
  }

  @Test
  void aNonRetryableCodeFailsTheCallAtOnce() throws Exception {
    client(fastRetries().build(), attempt -> failure(ErrorCode.INVALID_ARGUMENT));

    assertThatThrownBy(() -> client.request("order-3", "x"))
        .isInstanceOf(PulsarRpcClientException.class)
        .satisfies(
            e ->
                assertThat(((PulsarRpcClientException) e).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThat(attempts).hasSize(1);
  }

  @Test
  void theLastFailureIsReportedOnceTheAttemptsAreUsedUp() throws Exception {
    client(fastRetries().maxAttempts(4).build(), attempt -> failure(ErrorCode.ABORTED));

    assertThatThrownBy(() -> client.request("order-4", "x"))
        .isInstanceOf(PulsarRpcClientException.class)
        .hasMessageContaining("attempt 4")
        .satisfies(
            e -> assertThat(((PulsarRpcClientException) e).code()).isEqualTo(ErrorCode.ABORTED));
    assertThat(attempts).hasSize(4);
  }

  @Test
  void retriesStopAtTheCallsDeadlineAndEachAttemptGetsOnlyTheTimeLeft() throws Exception {
    client(
        RetryInterceptor.builder()
            .maxAttempts(1000)
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofMillis(50))
            .jitter(0)
            .build(),
        attempt -> failure(ErrorCode.UNAVAILABLE));
    Duration timeout = Duration.ofMillis(600);
    long start = System.nanoTime();

    assertThatThrownBy(
            () ->
                client
                    .requestAsync(
                        "x",
                        RequestOptions.defaults().withCorrelationId("order-5").withTimeout(timeout))
                    .get(10, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PulsarRpcClientException.class);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(elapsed).isLessThan(timeout.plusMillis(500));
    assertThat(attempts.size()).isBetween(2, 13);
    assertThat(attempts.get(0).timeout()).isEqualTo(timeout);
    for (int i = 1; i < attempts.size(); i++) {
      assertThat(attempts.get(i).timeout())
          .isPositive()
          .isLessThanOrEqualTo(timeout.minusMillis(50L * i));
    }
  }

  @Test
  void cancellingTheCallStopsTheRetries() throws Exception {
    client(
        RetryInterceptor.builder()
            .initialBackoff(Duration.ofMillis(300))
            .maxBackoff(Duration.ofSeconds(1))
            .build(),
        attempt -> failure(ErrorCode.UNAVAILABLE));

    CompletableFuture<String> call = client.requestAsync("order-6", "x");
    call.cancel(false);

    await().during(Duration.ofMillis(600)).atMost(2, SECONDS).until(() -> attempts.size() == 1);
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> RetryInterceptor.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> RetryInterceptor.builder().initialBackoff(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> RetryInterceptor.builder().maxBackoff(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> RetryInterceptor.builder().multiplier(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> RetryInterceptor.builder().jitter(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jitter");
    assertThatThrownBy(
            () ->
                RetryInterceptor.builder()
                    .initialBackoff(Duration.ofSeconds(5))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff PT1S is shorter than initialBackoff PT5S");
  }

  private static RetryInterceptor.Builder fastRetries() {
    return RetryInterceptor.builder()
        .initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(20));
  }

  private CompletableFuture<String> failure(ErrorCode code) {
    return CompletableFuture.failedFuture(
        new PulsarRpcClientException(
            code, code.wireName() + " on attempt " + attempts.size(), null));
  }

  private void client(RetryInterceptor retries, IntFunction<CompletableFuture<String>> answers)
      throws Exception {
    ClientInterceptor scripted =
        new ClientInterceptor() {
          @Override
          @SuppressWarnings("unchecked")
          public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
            attempts.add(chain.call());
            return (CompletableFuture<V>) answers.apply(attempts.size());
          }
        };
    client =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic("requests")
            .replyTopic("replies")
            .replySubscription("client")
            .replyTimeout(Duration.ofSeconds(5))
            .intercept(retries)
            .intercept(scripted)
            .build(bus);
  }
}

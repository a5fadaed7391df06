package io.pulsarrpc.client;

import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A {@link ClientInterceptor} that sends a call again, with exponential backoff, when it fails with
 * a retryable code ({@link io.pulsarrpc.common.ErrorCode#isRetryable()}: {@code unavailable},
 * {@code no_responders}, {@code resource_exhausted}, {@code aborted}), and only within the call's
 * deadline.
 *
 * <p><b>Rules.</b> The deadline is fixed by the first attempt: its start (or, for a scheduled call,
 * its delivery time) plus the call's timeout. Each attempt after the first:
 *
 * <ul>
 *   <li>waits {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, varied by up to {@code
 *       jitter} of itself either way, before retry {@code n}; the wait never blocks a thread;
 *   <li>gets as its timeout the time left until the deadline, so a retried call never outlives the
 *       caller's deadline; when the wait would reach the deadline, no retry is made;
 *   <li>goes out with a new correlation id, the original's with {@code -retry-<n>} appended,
 *       because the previous id may still be pending on the client;
 *   <li>keeps the value, metadata, message settings and delivery time of the call.
 * </ul>
 *
 * Any other failure (a non-retryable code, or a failure that is not a {@link
 * PulsarRpcClientException}), the last of {@code maxAttempts} attempts, or a retry that would not
 * fit before the deadline fails the call with the failure of the last attempt, as it came. A
 * success completes the call. Cancelling the call's future cancels the attempt in flight and stops
 * retries.
 *
 * <p><b>Multi-calls</b> are retried by the same rules while no server has answered them (they fail
 * as a whole only with {@code no_responders} or a failed send): one that some server answered is
 * never sent again.
 *
 * <p><b>Order.</b> Interceptors registered before this one see one call; those registered after it
 * see every attempt (register a metrics interceptor after it to count attempts, before it to count
 * calls). Retrying is only safe for requests the server may receive twice: a retryable code says
 * the server did not act, but a reply lost on its way back is a timeout, which is not retried.
 *
 * <p>Defaults: 3 attempts, 100 ms initial backoff, 2 s maximum backoff, multiplier 2, jitter 0.2.
 * Immutable and thread-safe; one instance may serve many clients.
 */
public final class RetryInterceptor implements ClientInterceptor {

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;

  private RetryInterceptor(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.multiplier = builder.multiplier;
    this.jitter = builder.jitter;
  }

  /** A builder with the defaults of the class comment. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) {
    return attempt(chain.call(), chain::proceed, () -> true);
  }

  /**
   * Retries a multi-call by the same rules, but only while no server has answered it: a multi-call
   * fails as a whole only when no server took it ({@code no_responders}) or it could not be sent,
   * and one that some server answered is never sent again.
   */
  @Override
  public <T, V> CompletableFuture<List<Response<V>>> interceptAll(MultiChain<T, V> chain) {
    AtomicBoolean answered = new AtomicBoolean();
    return attempt(
        chain.call(),
        call ->
            chain.proceed(
                call,
                response -> {
                  answered.set(true);
                  chain.onResponse().accept(response);
                }),
        () -> !answered.get());
  }

  /**
   * Sends {@code first} through {@code proceed}, and again by the rules of the class comment while
   * {@code mayRetry} holds.
   */
  private <T, R> CompletableFuture<R> attempt(
      ClientCall<T> first,
      Function<ClientCall<T>, CompletableFuture<R>> proceed,
      BooleanSupplier mayRetry) {
    long deliverAt = first.deliverAtMillis();
    long deadline = Math.max(System.currentTimeMillis(), deliverAt) + first.timeout().toMillis();
    CompletableFuture<R> result = new CompletableFuture<>();
    AtomicReference<CompletableFuture<R>> inFlight = new AtomicReference<>();
    result.whenComplete(
        (value, failure) -> {
          CompletableFuture<R> attempt = inFlight.get();
          if (result.isCancelled() && attempt != null) {
            attempt.cancel(false);
          }
        });
    send(first, 1, new Attempts<>(first, deadline, result, inFlight, proceed, mayRetry));
    return result;
  }

  /** What the attempts of one call share. */
  private record Attempts<T, R>(
      ClientCall<T> first,
      long deadline,
      CompletableFuture<R> result,
      AtomicReference<CompletableFuture<R>> inFlight,
      Function<ClientCall<T>, CompletableFuture<R>> proceed,
      BooleanSupplier mayRetry) {}

  private <T, R> void send(ClientCall<T> call, int attempt, Attempts<T, R> attempts) {
    if (attempts.result.isDone()) {
      return;
    }
    CompletableFuture<R> sent;
    try {
      sent = attempts.proceed.apply(call);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    attempts.inFlight.set(sent);
    sent.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            attempts.result.complete(value);
            return;
          }
          Throwable cause = Failures.unwrapped(failure);
          long delay = backoffMillis(attempt);
          long nextStart =
              Math.max(System.currentTimeMillis() + delay, attempts.first.deliverAtMillis());
          if (attempt >= maxAttempts
              || !isRetryable(cause)
              || !attempts.mayRetry.getAsBoolean()
              || nextStart >= attempts.deadline) {
            attempts.result.completeExceptionally(cause);
            return;
          }
          // The shared timer waits; the retry itself runs on the common pool, off the timer thread.
          SharedTimer.delayedExecutor(delay, TimeUnit.MILLISECONDS, ForkJoinPool.commonPool())
              .execute(() -> retry(attempt, cause, attempts));
        });
  }

  private <T, R> void retry(int previousAttempt, Throwable lastFailure, Attempts<T, R> attempts) {
    long remaining =
        attempts.deadline - Math.max(System.currentTimeMillis(), attempts.first.deliverAtMillis());
    if (remaining <= 0) {
      attempts.result.completeExceptionally(lastFailure);
      return;
    }
    ClientCall<T> next =
        attempts
            .first
            .withCorrelationId(attempts.first.correlationId() + "-retry-" + previousAttempt)
            .withTimeout(Duration.ofMillis(remaining));
    send(next, previousAttempt + 1, attempts);
  }

  /** The wait before the attempt after {@code attempt}, jitter included. */
  private long backoffMillis(int attempt) {
    double backoff =
        Math.min(
            maxBackoff.toMillis(), initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1));
    double spread = jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter);
    return Math.max(0, Math.round(backoff * (1 + spread)));
  }

  private static boolean isRetryable(Throwable failure) {
    return failure instanceof PulsarRpcClientException e && e.code().isRetryable();
  }

  @Override
  public String toString() {
    return "RetryInterceptor[maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + "]";
  }

  /**
   * Settings of a {@link RetryInterceptor}. Setters reject a bad value with {@link
   * IllegalArgumentException}; {@link #build()} checks the settings against each other. Not
   * thread-safe.
   */
  public static final class Builder {

    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private double multiplier = 2.0;
    private double jitter = 0.2;

    private Builder() {}

    /**
     * How many times a call is sent at most, the first included; default 3. 1 turns retries off.
     *
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait before the first retry; default 100 ms.
     *
     * @throws IllegalArgumentException when null or negative
     */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = checkedBackoff("initialBackoff", initialBackoff);
      return this;
    }

    /**
     * The longest wait between two attempts; default 2 s.
     *
     * @throws IllegalArgumentException when null or negative
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = checkedBackoff("maxBackoff", maxBackoff);
      return this;
    }

    /**
     * By how much each wait grows over the previous one; default 2.
     *
     * @throws IllegalArgumentException when less than 1 or not a number
     */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException(
            "multiplier must be a finite number of at least 1, got " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /**
     * The fraction by which each wait varies at random either way, so that clients failing together
     * do not retry together; default 0.2 (±20 %), 0 for exact waits.
     *
     * @throws IllegalArgumentException unless between 0 and 1
     */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0.0 && jitter <= 1.0)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * The interceptor.
     *
     * @throws IllegalArgumentException when maxBackoff is shorter than initialBackoff
     */
    public RetryInterceptor build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff "
                + maxBackoff
                + " is shorter than initialBackoff "
                + initialBackoff
                + ": raise maxBackoff or lower initialBackoff");
      }
      return new RetryInterceptor(this);
    }

    private static Duration checkedBackoff(String name, Duration backoff) {
      if (backoff == null || backoff.isNegative()) {
        throw new IllegalArgumentException(name + " must be zero or positive, got " + backoff);
      }
      return backoff;
    }
  }
}

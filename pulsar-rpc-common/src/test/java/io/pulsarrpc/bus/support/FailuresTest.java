package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void everyFutureWrapperIsRemoved() {
    IllegalStateException cause = new IllegalStateException("cause");

    Throwable wrapped = new CompletionException(new ExecutionException(cause));

    assertThat(Failures.unwrapped(wrapped)).isSameAs(cause);
  }

  @Test
  void aWrapperWithoutCauseAndNullStayAsTheyAre() {
    CompletionException bare = new CompletionException("no cause", null);

    assertThat(Failures.unwrapped(bare)).isSameAs(bare);
    assertThat(Failures.unwrapped(null)).isNull();
  }
}

package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.opentest4j.TestAbortedException;

class TestBrokersExtensionTest {

  private final ServerUnavailableException notInstalled =
      new ServerUnavailableException("redis-server was not found. Install Redis.");

  @Test
  void aMissingServerSkipsTheTestWithTheInstallHintOutsideCi() {
    TestBrokersExtension.SharedServer shared =
        new TestBrokersExtension.SharedServer(null, notInstalled);

    assertThatThrownBy(() -> shared.get(RedisTestServer.class, false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("Install Redis");
  }

  @Test
  void aMissingServerFailsTheTestOnCi() {
    TestBrokersExtension.SharedServer shared =
        new TestBrokersExtension.SharedServer(null, notInstalled);

    assertThatThrownBy(() -> shared.get(RedisTestServer.class, true))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessageContaining("Could not provide a RedisTestServer")
        .hasMessageContaining("Install Redis");
  }

  @Test
  void aServerThatFailedToStartFailsEveryTestWithoutStartingAgain() {
    AtomicInteger attempts = new AtomicInteger();
    TestBrokersExtension.SharedServer shared =
        TestBrokersExtension.SharedServer.start(
            () -> {
              attempts.incrementAndGet();
              throw new IllegalStateException("broker log tail");
            });

    assertThatThrownBy(() -> shared.get(PulsarTestBroker.class, false))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessageContaining("broker log tail");
    assertThatThrownBy(() -> shared.get(PulsarTestBroker.class, false))
        .isInstanceOf(ParameterResolutionException.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aStartedServerIsReturnedAndClosedWithTheStore() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    AutoCloseable server = closes::incrementAndGet;
    TestBrokersExtension.SharedServer shared =
        TestBrokersExtension.SharedServer.start(() -> server);

    assertThat(shared.get(PulsarTestBroker.class, false)).isSameAs(server);
    shared.close();
    assertThat(closes).hasValue(1);
  }
}

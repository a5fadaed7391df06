package io.pulsarrpc.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

  @TempDir Path directory;

  @Test
  void aProcessThatExitsBeforeReadyFailsWithItsExitCodeAndLogTail() {
    ManagedProcess process = shell("echo 'cannot bind port'; exit 3");

    assertThatThrownBy(() -> process.start(Duration.ofSeconds(30), () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("cannot bind port");
  }

  @Test
  void aProcessNotReadyInTimeIsKilledAndReported() {
    ManagedProcess process = shell("echo started; exec sleep 60");

    assertThatThrownBy(() -> process.start(Duration.ofMillis(500), () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was not ready within")
        .hasMessageContaining("its log had not grown for")
        .hasMessageContaining("started");
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void aProcessWhoseLogKeepsGrowingIsWaitedForBeyondTheTimeout() {
    // Ready after 20 lines 0.2 s apart (4 s at the least), with a timeout of 2 s.
    ManagedProcess process =
        shell("for i in $(seq 1 20); do echo step $i; sleep 0.2; done; touch ready; exec sleep 60");
    try {
      process.start(Duration.ofSeconds(2), () -> Files.exists(directory.resolve("ready")));

      assertThat(process.isAlive()).isTrue();
      assertThat(process.logTail(1)).isEqualTo("step 20");
    } finally {
      process.kill();
    }
  }

  @Test
  void aProcessThatKeepsLoggingButIsNeverReadyFailsAfterFiveTimesTheTimeout() {
    ManagedProcess process = shell("while true; do echo working; sleep 0.1; done");
    long started = System.nanoTime();

    assertThatThrownBy(() -> process.start(Duration.ofMillis(400), () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("although its log kept growing")
        .hasMessageContaining("working");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(ManagedProcess.MOST_TIMEOUTS * 400L));
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void killEndsTheProcessAndStartRunsItAgain() {
    ManagedProcess process = shell("exec sleep 60");
    process.start(Duration.ofSeconds(5), () -> true);
    long firstPid = process.pid();

    process.kill();
    assertThat(process.isAlive()).isFalse();
    assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));

    process.start(Duration.ofSeconds(5), () -> true);
    assertThat(process.isAlive()).isTrue();
    assertThat(process.pid()).isNotEqualTo(firstPid);
    process.stop(Duration.ofSeconds(5));
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void startingARunningProcessIsRefused() {
    ManagedProcess process = shell("exec sleep 60");
    process.start(Duration.ofSeconds(5), () -> true);
    try {
      assertThatThrownBy(() -> process.start(Duration.ofSeconds(5), () -> true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already running");
    } finally {
      process.kill();
    }
  }

  @Test
  void loggedSinceStartSeesOnlyWhatTheLastStartWrote() {
    // Writes "first attempt" the first time and "second attempt" after, failing both times.
    ManagedProcess process =
        shell(
            "if [ -e started-once ]; then echo 'Second attempt'; else touch started-once;"
                + " echo 'first attempt'; fi; exit 1");

    assertThatThrownBy(() -> process.start(Duration.ofSeconds(30), () -> false))
        .isInstanceOf(IllegalStateException.class);
    assertThat(process.loggedSinceStart("FIRST ATTEMPT")).isTrue();
    assertThatThrownBy(() -> process.start(Duration.ofSeconds(30), () -> false))
        .isInstanceOf(IllegalStateException.class);

    assertThat(process.loggedSinceStart("first attempt")).isFalse();
    assertThat(process.loggedSinceStart("second attempt")).isTrue();
  }

  private ManagedProcess shell(String script) {
    return new ManagedProcess(
        "test process", List.of("/bin/sh", "-c", script), directory, directory.resolve("out.log"));
  }
}

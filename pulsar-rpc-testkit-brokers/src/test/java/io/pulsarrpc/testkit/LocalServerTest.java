package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class LocalServerTest {

  /** What redis-server prints when its port is taken. */
  private static final String PORT_TAKEN =
      "echo 'Could not create server TCP listening socket: bind: Address already in use'; exit 1";

  @Test
  void aProgramThatIsNotInstalledIsReportedWithHowToInstallIt() {
    assertThatThrownBy(
            () ->
                LocalServer.start(
                    "example server",
                    "no-such-server-program",
                    "Install it with apt-get install example.",
                    (program, port, directory) -> List.of(program.toString()),
                    port -> true))
        .isInstanceOf(ServerUnavailableException.class)
        .hasMessageContaining("no-such-server-program was not found on the PATH")
        .hasMessageContaining("apt-get install example");
  }

  @Test
  void aFirstStartThatFindsItsPortTakenIsMadeAgainOnAnotherPort() {
    List<Integer> ports = new CopyOnWriteArrayList<>();
    LocalServer server =
        shell(
            ports,
            attempt -> attempt == 1 ? PORT_TAKEN : "exec sleep 60",
            // Only the second attempt's process ever answers.
            port -> ports.size() == 2 && port == ports.get(1));
    try {
      assertThat(ports).hasSize(2).doesNotHaveDuplicates();
      assertThat(server.port()).isEqualTo(ports.get(1));
      assertThat(server.isRunning()).isTrue();

      server.kill();
      server.start();
      assertThat(ports).as("a restart keeps the port and its command").hasSize(2);
      assertThat(server.isRunning()).isTrue();
    } finally {
      server.close();
    }
  }

  @Test
  void aFirstStartIsMadeAtMostThreeTimesWhileItsPortIsTaken() {
    List<Integer> ports = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> shell(ports, attempt -> PORT_TAKEN, port -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Address already in use");
    assertThat(ports).hasSize(FirstStart.MOST_ATTEMPTS).doesNotHaveDuplicates();
  }

  @Test
  void aFirstStartThatFailsForAnotherReasonIsNotMadeAgain() {
    List<Integer> ports = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> shell(ports, attempt -> "echo 'bad config'; exit 1", port -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bad config");
    assertThat(ports).hasSize(1);
  }

  /**
   * Starts {@code sh -c <script of the attempt>}, the attempts counted from 1; adds each attempt's
   * port to {@code ports}.
   */
  private static LocalServer shell(
      List<Integer> ports, IntFunction<String> script, LocalServer.ReadinessProbe probe) {
    return LocalServer.start(
        "example server",
        "sh",
        "",
        (program, port, directory) -> {
          ports.add(port);
          return List.of(program.toString(), "-c", script.apply(ports.size()));
        },
        probe);
  }
}

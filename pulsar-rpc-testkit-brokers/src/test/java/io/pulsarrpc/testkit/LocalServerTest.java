package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalServerTest {

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
}

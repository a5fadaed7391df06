package io.pulsarrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The packaged jar, run by the launcher script the build writes beside it. */
@ExtendWith(TestBrokersExtension.class)
class LauncherIT {

  private static final Path LAUNCHER = Path.of("target", "pulsar-rpc");

  @Test
  void launcherRunsACallFromThePackagedJar(PulsarTestBroker broker) throws Exception {
    assertThat(Files.isExecutable(LAUNCHER)).as("the build writes an executable launcher").isTrue();
    String topic = broker.newTopic("cli-launcher");
    try (MessageBus bus = PulsarMessageBus.create(broker.client());
        PulsarRpcServer<String, String> server = TestServers.upperCase(bus, topic, "eu")) {
      Process process =
          new ProcessBuilder(
                  LAUNCHER.toString(),
                  "call",
                  "--service-url",
                  broker.serviceUrl(),
                  "--timeout",
                  "60s",
                  topic,
                  "from the jar")
              .start();
      process.getOutputStream().close();
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the command ended").isTrue();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(err).isZero();
      assertThat(out).isEqualTo("eu: FROM THE JAR\n");
      assertThat(err).as("no log lines from the clients").isEmpty();
    }
  }
}

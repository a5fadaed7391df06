package io.pulsarrpc.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcStreamClient;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream server's process dies by {@code kill -9} while a client's stream to it is in use: the
 * client's stream fails with UNAVAILABLE within three of the server's heartbeat intervals, not
 * never, and the client lets go of it.
 */
@ExtendWith(TestBrokersExtension.class)
class StreamServerCrashIT {

  private static final Duration HEARTBEAT = Duration.ofSeconds(1);

  @Test
  void streamToAKilledServerFailsWithUnavailableWithinThreeHeartbeatIntervals(
      PulsarTestBroker broker) throws Exception {
    String requestTopic = broker.newTopic("stream-crash");
    Path output = Files.createTempFile("stream-server", ".log");
    Process server = start(broker.serviceUrl(), requestTopic, output);
    try (PulsarRpcStreamClient<String, String> client =
        PulsarRpcStreamClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .heartbeatInterval(HEARTBEAT)
            .openTimeout(Duration.ofMinutes(1))
            .build(broker.client())) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> Files.readString(output).contains("ready") || !server.isAlive());
      assertThat(server.isAlive()).as("server process started; see %s", output).isTrue();
      RpcStream<String, String> stream = client.open();
      for (int i = 0; i < 10; i++) {
        stream.send("m" + i);
        assertThat(stream.receiveAsync())
            .succeedsWithin(Duration.ofMinutes(1))
            .isEqualTo("echo m" + i);
      }

      long killedAt = System.nanoTime();
      server.destroyForcibly();
      StreamClosedException cause = stream.whenClosed().get(1, TimeUnit.MINUTES);
      Duration detected = Duration.ofNanos(System.nanoTime() - killedAt);

      System.out.printf(
          "Stream server killed: the client's stream failed after %d ms%n", detected.toMillis());
      assertThat(cause.code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(cause.closedByPeer()).isFalse();
      assertThat(detected).isLessThan(HEARTBEAT.multipliedBy(3));
      assertThat(client.openStreams()).isZero();
    } finally {
      server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static Process start(String serviceUrl, String requestTopic, Path output)
      throws Exception {
    List<String> command =
        List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            StreamServerMain.class.getName(),
            serviceUrl,
            requestTopic,
            Long.toString(HEARTBEAT.toMillis()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .directory(new File(System.getProperty("java.io.tmpdir")))
        .start();
  }
}

package io.pulsarrpc.bus.nats;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.nats.client.api.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NatsMessageBusBuilderTest {

  @Test
  void buildWithoutAServerSaysWhatToSet() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NatsMessageBus.builder().build())
        .withMessageContaining("url(...) or connection(...)");
  }

  @Test
  void streamsWithoutAnyLimitAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> NatsMessageBus.builder().url("nats://localhost:1").maxAge(Duration.ZERO).build())
        .withMessageContaining("maxAge")
        .withMessageContaining("maxMessages");
  }

  @Test
  void badSingleValuesAreRefusedByTheirSetters() {
    NatsMessageBusBuilder builder = NatsMessageBus.builder();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.ackWait(Duration.ZERO))
        .withMessageContaining("ackWait");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.negativeAckRedeliveryDelay(Duration.ofMillis(-1)))
        .withMessageContaining("negativeAckRedeliveryDelay");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.maxAge(Duration.ofMillis(10)))
        .withMessageContaining("maxAge");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.maxMessages(0))
        .withMessageContaining("maxMessages");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.maxBytes(-2))
        .withMessageContaining("maxBytes");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.retention(RetentionPolicy.WorkQueue))
        .withMessageContaining("fan-out");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.replicas(0))
        .withMessageContaining("replicas");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.maxAckPending(0))
        .withMessageContaining("maxAckPending");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.exclusiveLeaseTtl(Duration.ofMillis(500)))
        .withMessageContaining("exclusiveLeaseTtl");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.operationTimeout(null))
        .withMessageContaining("operationTimeout");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.mode(null))
        .withMessageContaining("mode");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.url(" "));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.connection(null));
  }

  @Test
  void aUrlThatIsNotANatsUrlIsAnIllegalArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NatsMessageBus.create("http://[bad"))
        .withMessageContaining("http://[bad");
  }

  @Test
  void aTrustFileThatIsNotThereIsRefusedAtOnce(@TempDir Path directory) {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> NatsMessageBus.builder().tlsTrustCertsFile(directory.resolve("missing.pem")))
        .withMessageContaining("tlsTrustCertsFile")
        .withMessageContaining("missing.pem");
  }

  @Test
  void aTrustFileWithoutACertificateIsRefusedBeforeConnecting(@TempDir Path directory)
      throws Exception {
    Path empty = Files.writeString(directory.resolve("empty.pem"), "");

    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                NatsMessageBus.builder().url("tls://127.0.0.1:1").tlsTrustCertsFile(empty).build())
        .withMessageContaining("tlsTrustCertsFile")
        .withMessageContaining("empty.pem");
  }
}

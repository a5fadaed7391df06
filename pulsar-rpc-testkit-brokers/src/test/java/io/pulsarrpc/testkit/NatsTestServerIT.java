package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class NatsTestServerIT {

  @Test
  void aMessageMakesARoundTripThroughTheServer(NatsTestServer nats) throws Exception {
    try (Connection connection = Nats.connect(nats.url())) {
      Subscription subscription = connection.subscribe("round.trip");
      connection.flush(Duration.ofSeconds(5));

      connection.publish("round.trip", "hello".getBytes(StandardCharsets.UTF_8));
      Message message = subscription.nextMessage(Duration.ofSeconds(10));

      assertThat(message).isNotNull();
      assertThat(new String(message.getData(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void aTlsServerAnswersAClientThatTrustsItsAuthority() throws Exception {
    try (NatsTestServer nats = NatsTestServer.startLocalWithTls()) {
      Options options =
          Options.builder().server(nats.url()).sslContext(nats.tlsSslContext()).build();
      try (Connection connection = Nats.connect(options)) {

        assertThat(nats.url()).startsWith("tls://");
        assertThat(connection.getServerInfo().isTLSRequired()).isTrue();
      }
    }
  }

  @Test
  void jetStreamKeepsAStreamAcrossAKillAndRestart(NatsTestServer nats) throws Exception {
    assumeTrue(nats.isEmbedded(), "needs a NATS server the testkit runs");
    try (Connection connection = Nats.connect(nats.url())) {
      JetStreamManagement management = connection.jetStreamManagement();
      management.addStream(
          StreamConfiguration.builder().name("SURVIVOR").subjects("survivor.>").build());
      connection.jetStream().publish("survivor.one", "kept".getBytes(StandardCharsets.UTF_8));
    }

    nats.kill();
    nats.start();

    try (Connection connection = Nats.connect(nats.url())) {
      StreamInfo info = connection.jetStreamManagement().getStreamInfo("SURVIVOR");
      assertThat(info.getStreamState().getMsgCount()).isEqualTo(1);
    }
  }
}

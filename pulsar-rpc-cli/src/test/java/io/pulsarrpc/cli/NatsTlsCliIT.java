package io.pulsarrpc.cli;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.testkit.NatsTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;

/** The command line over NATS's {@code tls://}. */
class NatsTlsCliIT extends CliOverTls {

  @AutoClose private static final NatsTestServer nats = NatsTestServer.startLocalWithTls();

  @Override
  String busName() {
    return "nats";
  }

  @Override
  String tlsUrl() {
    return nats.url();
  }

  @Override
  Path trustCertsFile() {
    return nats.tlsTrustCertsFile();
  }

  @Override
  MessageBus openServerBus() {
    return NatsMessageBus.builder()
        .url(nats.url())
        .tlsTrustCertsFile(nats.tlsTrustCertsFile())
        .build();
  }
}

package io.pulsarrpc.cli;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;

/** The command line over {@code pulsar+ssl://}: its own broker, since the shared one has no TLS. */
class PulsarTlsCliIT extends CliOverTls {

  @AutoClose private static final EmbeddedPulsarBroker broker = startWithTls();

  private static EmbeddedPulsarBroker startWithTls() {
    EmbeddedPulsarBroker started = EmbeddedPulsarBroker.builder().tls().build();
    started.start();
    return started;
  }

  @Override
  String busName() {
    return "pulsar";
  }

  @Override
  String tlsUrl() {
    return broker.tlsServiceUrl();
  }

  @Override
  Path trustCertsFile() {
    return broker.tlsTrustCertsFile();
  }

  @Override
  MessageBus openServerBus() {
    return PulsarMessageBus.create(broker.client());
  }
}

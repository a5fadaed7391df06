package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stream server crash suite on a real Pulsar broker. */
@ExtendWith(TestBrokersExtension.class)
class PulsarStreamServerCrashIT extends StreamServerCrashSuite {

  private final PulsarTestBroker broker;

  PulsarStreamServerCrashIT(PulsarTestBroker broker) {
    super(broker.serviceUrl(), new PulsarBus());
    this.broker = broker;
  }

  @Override
  protected String newTopic(String name) {
    return broker.newTopic(name);
  }

  /** A bus with a Pulsar client of its own, at a service URL. */
  public static final class PulsarBus implements BusFactory {

    @Override
    public MessageBus create(String serviceUrl) {
      return PulsarMessageBus.create(serviceUrl);
    }
  }
}

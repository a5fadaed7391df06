package io.pulsarrpc.examples.spring;

import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.util.Map;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the testkit's embedded Pulsar broker and points {@code spring.pulsar.client.service-url}
 * at it, unless the environment names a broker already (a property, {@code
 * SPRING_PULSAR_CLIENT_SERVICE_URL}, or {@code --spring.pulsar.client.service-url=...}). The broker
 * is closed after every bean, so servers drain and clients close while it still runs. The example's
 * own: an application uses its real broker.
 */
final class EmbeddedBrokerInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  static final String SERVICE_URL = "spring.pulsar.client.service-url";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment environment = context.getEnvironment();
    if (environment.containsProperty(SERVICE_URL)) {
      return;
    }
    System.out.println(
        "Starting an embedded Pulsar broker (give " + SERVICE_URL + " to use yours)");
    EmbeddedPulsarBroker broker =
        EmbeddedPulsarBroker.builder()
            // Calls in milliseconds rather than tens of them: see docs/performance.md.
            .brokerSetting("managedLedgerNewEntriesCheckDelayInMillis", "0")
            .build();
    broker.start();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "embeddedPulsarBroker", Map.of(SERVICE_URL, broker.serviceUrl())));
    // Registered first, destroyed last: after the servers, clients and the PulsarClient bean.
    ((DefaultListableBeanFactory) context.getBeanFactory())
        .registerDisposableBean("embeddedPulsarBroker", broker::close);
  }
}

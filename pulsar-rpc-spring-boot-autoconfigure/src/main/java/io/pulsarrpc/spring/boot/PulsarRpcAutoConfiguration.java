package io.pulsarrpc.spring.boot;

import org.apache.pulsar.client.api.PulsarClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.pulsar.PulsarAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The starter's entry point: active after Spring Boot's {@code PulsarAutoConfiguration} when a
 * {@code PulsarClient} bean exists and {@code pulsar-rpc.enabled} is not {@code false}. It binds
 * {@link PulsarRpcProperties} and defines the {@link PulsarRpcRegistry}; the auto-configurations of
 * the sub-packages (servers, clients, observability, actuator) are active only when this one is,
 * and all of them reuse the application's {@code PulsarClient}: the starter never builds one.
 */
@AutoConfiguration(after = PulsarAutoConfiguration.class)
@ConditionalOnBean(PulsarClient.class)
@ConditionalOnProperty(prefix = "pulsar-rpc", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PulsarRpcProperties.class)
public class PulsarRpcAutoConfiguration {

  /** Creates the auto-configuration; Spring Boot does. */
  public PulsarRpcAutoConfiguration() {}

  /** What the starter built, for health and inspection. */
  @Bean
  public PulsarRpcRegistry pulsarRpcRegistry() {
    return new PulsarRpcRegistry();
  }
}

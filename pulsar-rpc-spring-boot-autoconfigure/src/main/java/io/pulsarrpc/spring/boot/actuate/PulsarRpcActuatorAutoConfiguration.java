package io.pulsarrpc.spring.boot.actuate;

import io.pulsarrpc.spring.boot.PulsarRpcAutoConfiguration;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Actuator support, active with {@link PulsarRpcAutoConfiguration} when {@code
 * spring-boot-actuator-autoconfigure} is on the classpath: the health contributor {@code pulsarRpc}
 * (turned off by {@code management.health.pulsarrpc.enabled=false}) and the {@link
 * PulsarRpcEndpoint} (available when exposed, as any endpoint).
 */
@AutoConfiguration(
    after = PulsarRpcAutoConfiguration.class,
    afterName =
        "org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration")
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(PulsarRpcRegistry.class)
public class PulsarRpcActuatorAutoConfiguration {

  /** Creates the auto-configuration; Spring Boot does. */
  public PulsarRpcActuatorAutoConfiguration() {}

  /**
   * One health entry per server and client; its bean name makes the contributor {@code pulsarRpc}.
   */
  @Bean
  @ConditionalOnEnabledHealthIndicator("pulsarrpc")
  @ConditionalOnMissingBean(name = "pulsarRpcHealthContributor")
  public CompositeHealthContributor pulsarRpcHealthContributor(PulsarRpcRegistry registry) {
    return new RegistryHealth(registry);
  }

  /** The inspections of everything the starter built. */
  @Bean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnMissingBean
  public PulsarRpcEndpoint pulsarRpcEndpoint(PulsarRpcRegistry registry) {
    return new PulsarRpcEndpoint(registry);
  }
}

package io.pulsarrpc.spring.boot.client;

import io.pulsarrpc.protobuf.GeneratedService;
import io.pulsarrpc.spring.boot.PulsarRpcAutoConfiguration;
import io.pulsarrpc.spring.boot.PulsarRpcInterceptors;
import io.pulsarrpc.spring.boot.PulsarRpcProperties;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import io.pulsarrpc.spring.boot.observability.PulsarRpcObservabilityAutoConfiguration;
import org.apache.pulsar.client.api.PulsarClient;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Client beans, active with {@link PulsarRpcAutoConfiguration}: the {@link PulsarRpcClients}
 * builder and, with {@code pulsar-rpc-protobuf} on the classpath, a singleton bean per generated
 * {@code FooClient} interface found in the auto-configuration packages and those of {@link
 * EnablePulsarRpcClients}.
 *
 * <p>Generated clients are created (and subscribe to their reply topics) at startup, with the other
 * singletons, so a broker that cannot be reached fails the startup rather than the first call; they
 * are closed when the context closes.
 */
@AutoConfiguration(
    after = {PulsarRpcAutoConfiguration.class, PulsarRpcObservabilityAutoConfiguration.class})
@ConditionalOnBean(PulsarRpcRegistry.class)
public class PulsarRpcClientAutoConfiguration {

  /** Creates the auto-configuration; Spring Boot does. */
  public PulsarRpcClientAutoConfiguration() {}

  /** Builds core clients with the starter's defaults; closes them with the context. */
  @Bean
  @ConditionalOnMissingBean
  public PulsarRpcClients pulsarRpcClients(
      PulsarClient pulsarClient,
      PulsarRpcProperties properties,
      PulsarRpcInterceptors interceptors,
      PulsarRpcRegistry registry,
      Environment environment) {
    String clientId = properties.getClient().getClientId();
    return new PulsarRpcClients(
        pulsarClient,
        properties.getClient(),
        clientId != null ? clientId : ClientIds.newDefault(environment),
        interceptors,
        registry);
  }

  /** Closes the clients of {@link PulsarRpcClients} when the context stops. */
  @Bean
  SmartLifecycle pulsarRpcClientsLifecycle(PulsarRpcClients clients) {
    return new ClientsLifecycle(clients::close);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(GeneratedService.class)
  static class Generated {

    @Bean
    static GeneratedClientScan pulsarRpcGeneratedClientScan() {
      return new GeneratedClientScan();
    }

    @Bean(GeneratedClients.BEAN_NAME)
    GeneratedClients pulsarRpcGeneratedClients(
        PulsarClient pulsarClient,
        PulsarRpcProperties properties,
        PulsarRpcClients clients,
        PulsarRpcInterceptors interceptors,
        PulsarRpcRegistry registry) {
      return new GeneratedClients(
          pulsarClient, properties, clients.clientId(), interceptors, registry);
    }

    /** Closes the generated clients when the context stops. */
    @Bean
    SmartLifecycle pulsarRpcGeneratedClientsLifecycle(
        @Qualifier(GeneratedClients.BEAN_NAME) GeneratedClients generated) {
      return new ClientsLifecycle(generated::closeClients);
    }
  }
}

package io.pulsarrpc.spring.boot.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.observability.RpcMetrics;
import io.pulsarrpc.observability.RpcTracing;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.spring.boot.PulsarRpcAutoConfiguration;
import io.pulsarrpc.spring.boot.PulsarRpcInterceptors;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import io.pulsarrpc.stream.StreamInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Defines the {@link PulsarRpcInterceptors} bean (unless the application has one): metrics when
 * {@code pulsar-rpc-observability} is on the classpath, a {@code MeterRegistry} bean exists and
 * {@code pulsar-rpc.observability.metrics.enabled} is not false; tracing likewise with an {@code
 * OpenTelemetry} bean (Spring Boot's Micrometer Tracing OpenTelemetry bridge provides one) and
 * {@code pulsar-rpc.observability.tracing.enabled}; then the application's {@code
 * ServerInterceptor}, {@code ClientInterceptor} and {@code StreamInterceptor} beans in
 * {@code @Order}. The registry and OpenTelemetry beans are looked up when the first server or
 * client is built, so their auto-configurations may run in any order relative to this one.
 */
@AutoConfiguration(after = PulsarRpcAutoConfiguration.class)
@ConditionalOnBean(PulsarRpcRegistry.class)
public class PulsarRpcObservabilityAutoConfiguration {

  /** Creates the auto-configuration; Spring Boot does. */
  public PulsarRpcObservabilityAutoConfiguration() {}

  /** The interceptors of every server and client the starter builds. */
  @Bean
  @ConditionalOnMissingBean
  public PulsarRpcInterceptors pulsarRpcInterceptors(
      ObjectProvider<Instrumentation> instrumentation,
      ObjectProvider<ServerInterceptor> servers,
      ObjectProvider<ClientInterceptor> clients,
      ObjectProvider<StreamInterceptor> streams) {
    return new OrderedInterceptors(
        instrumentation.orderedStream().toList(),
        servers.orderedStream().toList(),
        clients.orderedStream().toList(),
        streams.orderedStream().toList());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RpcMetrics.class, MeterRegistry.class})
  @ConditionalOnProperty(
      prefix = "pulsar-rpc.observability.metrics",
      name = "enabled",
      matchIfMissing = true)
  static class Metrics {

    @Bean
    @Order(1)
    Instrumentation pulsarRpcMetrics(ObjectProvider<MeterRegistry> registries) {
      MeterRegistry registry = registries.getIfUnique();
      return registry == null
          ? null
          : new Instrumentation(
              RpcMetrics.serverInterceptor(registry),
              topic -> RpcMetrics.clientInterceptor(registry, topic),
              RpcMetrics.streamInterceptor(registry));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RpcTracing.class, OpenTelemetry.class})
  @ConditionalOnProperty(
      prefix = "pulsar-rpc.observability.tracing",
      name = "enabled",
      matchIfMissing = true)
  static class Tracing {

    @Bean
    @Order(2)
    Instrumentation pulsarRpcTracing(ObjectProvider<OpenTelemetry> openTelemetry) {
      OpenTelemetry otel = openTelemetry.getIfUnique();
      return otel == null
          ? null
          : new Instrumentation(
              RpcTracing.serverInterceptor(otel),
              topic -> RpcTracing.clientInterceptor(otel, topic),
              RpcTracing.streamInterceptor(otel));
    }
  }
}

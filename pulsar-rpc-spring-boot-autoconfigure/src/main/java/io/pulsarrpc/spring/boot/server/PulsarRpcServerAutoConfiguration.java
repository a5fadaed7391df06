package io.pulsarrpc.spring.boot.server;

import io.pulsarrpc.spring.boot.PulsarRpcAutoConfiguration;
import io.pulsarrpc.spring.boot.PulsarRpcInterceptors;
import io.pulsarrpc.spring.boot.PulsarRpcProperties;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import io.pulsarrpc.spring.boot.observability.PulsarRpcObservabilityAutoConfiguration;
import java.time.Duration;
import org.apache.pulsar.client.api.PulsarClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Servers, active with {@link PulsarRpcAutoConfiguration}: one per {@code @PulsarRpcHandler} method
 * of any bean and one per bean implementing a generated {@code FooServerImpl} (served by {@code
 * FooServer.create(impl, pulsarClient, options)}), all on the application's {@code PulsarClient},
 * with the {@code pulsar-rpc.server.*} settings and the starter's interceptors.
 *
 * <p><b>Lifecycle.</b> The servers are one {@link SmartLifecycle} bean of phase {@code
 * SmartLifecycle.DEFAULT_PHASE - 512}: they start when the context starts (after the beans are
 * created, so a failing server fails the startup) and stop before Spring Boot's web server begins
 * its graceful shutdown ({@code DEFAULT_PHASE - 1024}) and before the {@code PulsarClient} bean is
 * destroyed. Stopping drains every server at once: requests in flight finish and are answered, for
 * at most {@code pulsar-rpc.server.shutdown-grace-period} (default {@code
 * spring.lifecycle.timeout-per-shutdown-phase}, 30 s when unset); a server still busy then is
 * killed, and its requests go back to the subscription for another instance. Beans created lazily
 * after the context started are not served.
 */
@AutoConfiguration(
    after = {PulsarRpcAutoConfiguration.class, PulsarRpcObservabilityAutoConfiguration.class})
@ConditionalOnBean(PulsarRpcRegistry.class)
public class PulsarRpcServerAutoConfiguration {

  /** Creates the auto-configuration; Spring Boot does. */
  public PulsarRpcServerAutoConfiguration() {}

  /** Finds handler methods and generated service implementations as beans are initialized. */
  @Bean
  static HandlerCollector pulsarRpcHandlerCollector() {
    return new HandlerCollector();
  }

  /** Runs the servers with the context. */
  @Bean
  SmartLifecycle pulsarRpcServers(
      ObjectProvider<HandlerCollector> collector,
      PulsarClient pulsarClient,
      PulsarRpcProperties properties,
      PulsarRpcInterceptors interceptors,
      PulsarRpcRegistry registry,
      Environment environment) {
    Duration grace = properties.getServer().getShutdownGracePeriod();
    if (grace == null) {
      String phaseTimeout = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase");
      grace =
          phaseTimeout == null
              ? Duration.ofSeconds(30)
              : DurationStyle.detectAndParse(phaseTimeout);
    }
    return new RpcServers(
        collector.getObject(),
        new ServerSettings(pulsarClient, properties, grace, interceptors),
        registry);
  }
}

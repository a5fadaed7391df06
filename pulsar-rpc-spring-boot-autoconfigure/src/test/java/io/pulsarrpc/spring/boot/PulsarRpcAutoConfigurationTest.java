package io.pulsarrpc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.spring.boot.client.PulsarRpcClients;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.pulsar.PulsarAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When the starter is active and how it fails; no broker is needed: nothing here connects (the
 * Pulsar client connects on first use, and no server starts).
 */
class PulsarRpcAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withPropertyValues("spring.pulsar.client.service-url=pulsar://127.0.0.1:1")
          .withConfiguration(
              AutoConfigurations.of(
                  PulsarAutoConfiguration.class,
                  PulsarRpcAutoConfiguration.class,
                  io.pulsarrpc.spring.boot.observability.PulsarRpcObservabilityAutoConfiguration
                      .class,
                  io.pulsarrpc.spring.boot.server.PulsarRpcServerAutoConfiguration.class,
                  io.pulsarrpc.spring.boot.client.PulsarRpcClientAutoConfiguration.class));

  @Test
  void clientsBuilderAndRegistryExistOnSpringBootsPulsarClient() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(PulsarRpcClients.class);
          assertThat(context).hasSingleBean(PulsarRpcRegistry.class);
          assertThat(context).hasSingleBean(PulsarRpcInterceptors.class);
          assertThat(context).hasSingleBean(org.apache.pulsar.client.api.PulsarClient.class);
        });
  }

  @Test
  void enabledFalseTurnsEverythingOff() {
    runner
        .withPropertyValues("pulsar-rpc.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(PulsarRpcRegistry.class);
              assertThat(context).doesNotHaveBean(PulsarRpcClients.class);
              assertThat(context).doesNotHaveBean(PulsarRpcInterceptors.class);
            });
  }

  @Test
  void nothingIsBuiltWithoutAPulsarClientBean() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PulsarRpcAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(PulsarRpcRegistry.class));
  }

  @Test
  void handlerOfAnotherShapeFailsStartupNamingTheBeanTheMethodAndTheShapes() {
    runner
        .withUserConfiguration(BadHandlerConfiguration.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("Bean 'badHandler'")
                    .hasMessageContaining("twoRequests(java.lang.String,java.lang.String)")
                    .hasMessageContaining(
                        "Res m(Req), Res m(Req, RequestContext), CompletableFuture<Res> m(Req)"));
  }

  @Test
  void badPropertyValueFailsStartupNamingTheProperty() {
    runner
        .withPropertyValues("pulsar-rpc.client.reply-timeout=0s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("pulsar-rpc.client.reply-timeout must be positive"));
  }

  @Test
  void claimWindowThatIsNotPositiveFailsStartupNamingTheProperty() {
    runner
        .withPropertyValues("pulsar-rpc.client.claim-window=0s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("pulsar-rpc.client.claim-window must be positive"));
  }

  @Test
  void enablePulsarRpcClientsMakesTheGeneratedClientsOfItsPackagesBeans() {
    runner
        // Defined, not created: creating a client would connect.
        .withInitializer(
            context ->
                context.addBeanFactoryPostProcessor(
                    new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
        .withUserConfiguration(GreeterClients.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(
                      context
                          .getBeanFactory()
                          .getBeanDefinition("greeterClient")
                          .getResolvableType()
                          .resolve())
                  .isEqualTo(io.pulsarrpc.spring.boot.greeter.GreeterClient.class);
              assertThat(
                      context.getBeanNamesForType(
                          io.pulsarrpc.spring.boot.greeter.GreeterServerImpl.class))
                  .isEmpty();
            });
  }

  @Test
  void generatedClientsOutsideTheScannedPackagesAreNoBeans() {
    runner
        // Defined, not created: creating a client would connect.
        .withInitializer(
            context ->
                context.addBeanFactoryPostProcessor(
                    new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
        .run(context -> assertThat(context).doesNotHaveBean("greeterClient"));
  }

  @Configuration(proxyBeanMethods = false)
  @io.pulsarrpc.spring.boot.client.EnablePulsarRpcClients(
      basePackageClasses = io.pulsarrpc.spring.boot.greeter.GreeterClient.class)
  static class GreeterClients {}

  /** A handler with two request parameters. */
  public static class BadHandler {
    @PulsarRpcHandler(topic = "persistent://public/default/bad")
    public String twoRequests(String first, String second) {
      return first + second;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BadHandlerConfiguration {
    @Bean
    BadHandler badHandler() {
      return new BadHandler();
    }
  }
}

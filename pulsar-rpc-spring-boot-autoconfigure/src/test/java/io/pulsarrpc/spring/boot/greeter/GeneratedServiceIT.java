package io.pulsarrpc.spring.boot.greeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.protobuf.ProtobufSchemas;
import io.pulsarrpc.server.RequestContext;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import io.pulsarrpc.spring.boot.client.PulsarRpcClients;
import io.pulsarrpc.spring.boot.it.NoResponders;
import io.pulsarrpc.spring.boot.it.TestBroker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A generated service: the {@code GreeterServerImpl} bean is served and the {@code GreeterClient}
 * of this (auto-configuration) package is a bean, with the naming prefix of the properties.
 */
@ExtendWith(TestBroker.ClosedAfterTheApplication.class)
@DirtiesContext
@SpringBootTest(
    classes = GeneratedServiceIT.App.class,
    properties = {
      "pulsar-rpc.naming.prefix=spring.",
      "pulsar-rpc.client.client-id=greeter-app-1",
      "pulsar-rpc.client.claim-window=800ms"
    })
class GeneratedServiceIT {

  private static final TestBroker BROKER = new TestBroker(GeneratedServiceIT.class);

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    BROKER.register(registry);
  }

  @Autowired GreeterClient greeter;
  @Autowired UnservedClient unserved;
  @Autowired PulsarRpcClients clients;
  @Autowired PulsarRpcRegistry registry;

  @Test
  void implementationBeanIsServedAndCalledThroughTheInjectedClient() {
    assertThat(greeter.greet(Hello.newBuilder().setName("Ada").build()))
        .succeedsWithin(Duration.ofSeconds(30))
        .extracting(Greeting::getText)
        .isEqualTo("Hello, Ada");
  }

  @Test
  void claimWindowPropertyBoundsHowLongAClaimedCallOfAGeneratedClientWaits() {
    CompletableFuture<Greeting> claimed =
        unserved.ask(
            Hello.newBuilder().setName("anyone?").build(),
            RequestOptions.defaults().withClaimRequired());

    NoResponders.assertFailsAtTheClaimWindow(claimed, Duration.ofMillis(800));
  }

  @Test
  void namingPrefixPropertyIsInTheServedTopicName() throws Exception {
    try (PulsarRpcClient<Hello, Greeting> byTopic =
        clients.create(
            ProtobufSchemas.of(Hello.class),
            ProtobufSchemas.of(Greeting.class),
            "persistent://public/default/spring.springtest.Greeter.Greet")) {
      assertThat(byTopic.request(Hello.newBuilder().setName("Bob").build()).getText())
          .isEqualTo("Hello, Bob");
    }
  }

  @Test
  void generatedServerAndClientAreInTheRegistry() {
    assertThat(registry.serverNames()).containsExactly("greeterImpl");
    assertThat(registry.clientNames()).contains("greeterClient");
    assertThat(registry.inspectServer("greeterImpl"))
        .flatExtracting(inspection -> inspection.requestTopics())
        .contains("persistent://public/default/spring.springtest.Greeter.Greet");
    assertThat(registry.inspectClient("greeterClient"))
        .extracting(inspection -> inspection.replySubscription())
        .containsOnly("greeter-app-1");
  }

  /** The implementation. */
  public static class GreeterImpl implements GreeterServerImpl {
    @Override
    public CompletableFuture<Greeting> greet(Hello request, RequestContext context) {
      return CompletableFuture.completedFuture(
          Greeting.newBuilder().setText("Hello, " + request.getName()).build());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    GreeterImpl greeterImpl() {
      return new GreeterImpl();
    }
  }
}

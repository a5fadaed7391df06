package io.pulsarrpc.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.spring.boot.PulsarRpcHandler;
import io.pulsarrpc.spring.boot.client.PulsarRpcClients;
import java.time.Duration;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The health entries follow the broker: DOWN when it dies, UP when it is back. */
@SpringBootTest(
    classes = HealthIT.App.class,
    properties = {"spring.application.name=health-app", "pulsar-rpc.client.client-id=health-1"})
class HealthIT {

  static final String TOPIC = "persistent://public/default/spring-health";

  private static final TestBroker BROKER = new TestBroker(HealthIT.class.getSimpleName());

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    BROKER.register(registry);
  }

  @AfterAll
  static void closeBroker() {
    BROKER.close();
  }

  @Autowired CompositeHealthContributor pulsarRpcHealthContributor;

  @Test
  void everyEntryGoesDownWhenTheBrokerIsKilledAndUpWhenItReturns() {
    assertThat(statuses()).containsOnly(Status.UP);
    assertThat(details("handler.echo")).containsEntry("subscription", "health-app-rpc");
    assertThat(details("client:" + TOPIC))
        .containsEntry("subscription", "health-1-1")
        .containsEntry("pending", 0);

    BROKER.broker().kill();
    await().atMost(Duration.ofSeconds(60)).until(() -> !statuses().contains(Status.UP));
    assertThat(details("handler.echo")).containsEntry("connected", false);

    BROKER.broker().start();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> statuses().stream().allMatch(Status.UP::equals));
  }

  private java.util.List<Status> statuses() {
    java.util.List<Status> statuses = new java.util.ArrayList<>();
    pulsarRpcHealthContributor.forEach(
        each -> statuses.add(((HealthIndicator) each.getContributor()).health().getStatus()));
    assertThat(statuses).hasSize(2);
    return statuses;
  }

  private java.util.Map<String, Object> details(String name) {
    return ((HealthIndicator) pulsarRpcHealthContributor.getContributor(name))
        .health()
        .getDetails();
  }

  /** Echoes. */
  public static class Handler {
    @PulsarRpcHandler(topic = TOPIC)
    public String echo(String text) {
      return text;
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Handler handler() {
      return new Handler();
    }

    @Bean
    PulsarRpcClient<String, String> echo(PulsarRpcClients clients) throws Exception {
      return clients.create(Schema.STRING, Schema.STRING, TOPIC);
    }
  }
}

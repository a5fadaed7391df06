package io.pulsarrpc.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.spring.boot.PulsarRpcHandler;
import io.pulsarrpc.spring.boot.client.PulsarRpcClients;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.pulsar.core.PulsarClientBuilderCustomizer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The health entries follow the broker: DOWN when it dies, UP when it is back.
 *
 * <p>The Pulsar client backs off between reconnects up to a minute by default, so how soon an entry
 * is UP again after the restart would depend on where in its backoff the restart lands. The
 * application's client backs off at most one second here, so that the wait after the restart is
 * only the reconnect itself.
 */
@ExtendWith(TestBroker.ClosedAfterTheApplication.class)
@DirtiesContext
@SpringBootTest(
    classes = HealthIT.App.class,
    properties = {"spring.application.name=health-app", "pulsar-rpc.client.client-id=health-1"})
class HealthIT {

  static final String TOPIC = "persistent://public/default/spring-health";

  private static final TestBroker BROKER = new TestBroker(HealthIT.class);

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    BROKER.register(registry);
  }

  @Autowired CompositeHealthContributor pulsarRpcHealthContributor;

  @Test
  void everyEntryGoesDownWhenTheBrokerIsKilledAndUpWhenItReturns() {
    assertEvery(Status.UP);
    assertThat(details("handler.echo")).containsEntry("subscription", "health-app-rpc");
    assertThat(details("client:" + TOPIC))
        .containsEntry("subscription", "health-1-1")
        .containsEntry("pending", 0);

    BROKER.broker().kill();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEvery(Status.DOWN));
    assertThat(details("handler.echo")).containsEntry("connected", false);

    BROKER.broker().start();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEvery(Status.UP));
  }

  /** Both entries have {@code status}; a failure names each entry with its details. */
  private void assertEvery(Status status) {
    Map<String, Health> entries = new TreeMap<>();
    pulsarRpcHealthContributor.forEach(
        each -> entries.put(each.getName(), ((HealthIndicator) each.getContributor()).health()));
    assertThat(entries).containsOnlyKeys("handler.echo", "client:" + TOPIC);
    entries.forEach(
        (name, health) ->
            assertThat(health.getStatus())
                .as("%s: %s", name, health.getDetails())
                .isEqualTo(status));
  }

  private Map<String, Object> details(String name) {
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
    PulsarClientBuilderCustomizer shortBackoff() {
      return builder ->
          builder
              .startingBackoffInterval(100, TimeUnit.MILLISECONDS)
              .maxBackoffInterval(1, TimeUnit.SECONDS);
    }

    @Bean
    PulsarRpcClient<String, String> echo(PulsarRpcClients clients) throws Exception {
      return clients.create(Schema.STRING, Schema.STRING, TOPIC);
    }
  }
}

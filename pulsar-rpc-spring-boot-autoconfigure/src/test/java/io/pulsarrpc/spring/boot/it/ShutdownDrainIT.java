package io.pulsarrpc.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.spring.boot.PulsarRpcHandler;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import io.pulsarrpc.spring.boot.client.PulsarRpcClients;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** Closing the context drains the servers: a call in flight still gets its reply. */
class ShutdownDrainIT {

  static final String TOPIC = "persistent://public/default/spring-slow";

  private static final TestBroker BROKER = new TestBroker(ShutdownDrainIT.class);

  @AfterAll
  static void closeBroker() {
    BROKER.close();
  }

  @Test
  void callInFlightWhenTheContextClosesStillGetsItsReplyThenTheServerCloses() throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .run(
                "--spring.pulsar.client.service-url=" + BROKER.broker().serviceUrl(),
                "--spring.lifecycle.timeout-per-shutdown-phase=60s");
    SlowHandler handler = context.getBean(SlowHandler.class);
    PulsarRpcRegistry registry = context.getBean(PulsarRpcRegistry.class);
    try (PulsarRpcClient<String, String> client =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(TOPIC)
            .replyTopic(TOPIC + ".reply.drain-test")
            .replySubscription("drain-test")
            .build(BROKER.broker().client())) {
      CompletableFuture<String> reply = client.requestAsync("late");
      assertThat(handler.entered.await(30, TimeUnit.SECONDS)).isTrue();

      Thread closer = new Thread(context::close, "context-closer");
      closer.start();
      // The closing thread waits for the servers' phase, which waits for the held call.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Arrays.stream(closer.getStackTrace())
                      .anyMatch(frame -> frame.getClassName().contains("LifecycleGroup")));
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(closer::isAlive);
      assertThat(reply).isNotDone();

      handler.release.countDown();

      assertThat(reply).succeedsWithin(Duration.ofSeconds(30)).isEqualTo("done: late");
      closer.join(Duration.ofSeconds(60).toMillis());
      assertThat(closer.isAlive()).isFalse();
      assertThat(registry.serverNames()).isEmpty();
    } finally {
      handler.release.countDown();
      context.close();
    }
  }

  @Test
  void stoppingTheContextClosesTheClientsBeforeThePulsarClientStops() throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class, ClientApp.class)
            .web(WebApplicationType.NONE)
            .run("--spring.pulsar.client.service-url=" + BROKER.broker().serviceUrl());
    try {
      @SuppressWarnings("unchecked")
      PulsarRpcClient<String, String> client = context.getBean(PulsarRpcClient.class);
      assertThat(client.inspect().connected()).isTrue();

      // Spring for Apache Pulsar closes the PulsarClient when its own lifecycle phase stops, the
      // last one. The clients must close their reply consumers before, in a phase of their own,
      // rather than find them closed under them (and log a failed receive loop each).
      context.stop();

      assertThat(client.inspect().connected()).isFalse();
      assertThat(client.requestAsync("after stop"))
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(PulsarRpcClientException.class);
    } finally {
      context.getBean(SlowHandler.class).release.countDown();
      context.close();
    }
  }

  @SpringBootConfiguration
  static class ClientApp {
    @Bean
    PulsarRpcClient<String, String> slowClient(PulsarRpcClients clients)
        throws PulsarRpcClientException {
      return clients.create(Schema.STRING, Schema.STRING, TOPIC);
    }
  }

  /** Holds each call until released. */
  public static class SlowHandler {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @PulsarRpcHandler(topic = TOPIC)
    public String slow(String text) throws InterruptedException {
      entered.countDown();
      release.await();
      return "done: " + text;
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    SlowHandler slowHandler() {
      return new SlowHandler();
    }
  }
}

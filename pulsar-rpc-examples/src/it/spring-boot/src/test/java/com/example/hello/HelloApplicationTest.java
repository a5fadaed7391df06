package com.example.hello;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class HelloApplicationTest {

  // A real broker in a child JVM, started once for this class.
  static final EmbeddedPulsarBroker BROKER = EmbeddedPulsarBroker.builder().build();

  @BeforeAll
  static void startBroker() {
    BROKER.start();
  }

  @DynamicPropertySource
  static void pulsar(DynamicPropertyRegistry registry) {
    registry.add("spring.pulsar.client.service-url", BROKER::serviceUrl);
  }

  @AfterAll
  static void stopBroker() {
    BROKER.close();
  }

  @Autowired PulsarRpcClient<String, String> helloClient;

  @Test
  void theHandlerGreetsTheCaller() throws Exception {
    assertThat(helloClient.request("Ada")).isEqualTo("Hello, Ada!");
  }
}

package com.example.hello;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.spring.boot.client.PulsarRpcClients;
import org.apache.pulsar.client.api.Schema;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class HelloApplication {

  public static void main(String[] args) {
    SpringApplication.run(HelloApplication.class, args);
  }

  /** A client of the greeter's topic, with the defaults of pulsar-rpc.client.*. */
  @Bean
  PulsarRpcClient<String, String> helloClient(PulsarRpcClients clients)
      throws PulsarRpcClientException {
    return clients.create(Schema.STRING, Schema.STRING, Greeter.TOPIC);
  }
}

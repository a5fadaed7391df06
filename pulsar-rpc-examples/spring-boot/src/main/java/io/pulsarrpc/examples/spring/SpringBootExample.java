package io.pulsarrpc.examples.spring;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.spring.boot.client.PulsarRpcClients;
import org.apache.pulsar.client.api.Schema;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application on the pulsar-rpc starter: it serves {@link Shouter#shout} and the
 * generated {@code Greeter} service, calls both through client beans ({@link ExampleRunner}), and
 * exits with 0 when every call was answered, 1 otherwise. Without {@code
 * spring.pulsar.client.service-url} it runs on an embedded broker of its own.
 */
@SpringBootApplication
public class SpringBootExample {

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(SpringBootExample.class);
    application.addInitializers(new EmbeddedBrokerInitializer());
    int exitCode;
    try {
      exitCode = SpringApplication.exit(application.run(args));
    } catch (RuntimeException e) {
      // Spring Boot has logged why the application did not start or a call failed.
      exitCode = 1;
    }
    System.exit(exitCode);
  }

  /** A client of the shouter's topic; the generated GreeterClient is a bean by itself. */
  @Bean
  PulsarRpcClient<String, String> shoutClient(PulsarRpcClients clients)
      throws PulsarRpcClientException {
    return clients.create(Schema.STRING, Schema.STRING, Shouter.TOPIC);
  }
}

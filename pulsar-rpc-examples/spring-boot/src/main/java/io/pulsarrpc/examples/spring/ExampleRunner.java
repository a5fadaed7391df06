package io.pulsarrpc.examples.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.examples.spring.greeter.GreetRequest;
import io.pulsarrpc.examples.spring.greeter.GreeterClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.stereotype.Component;

/**
 * Calls the handler and the generated service through the injected clients once the application has
 * started, then prints the health of everything the starter runs and how many pulsar-rpc meters it
 * recorded. A call that fails fails the run, and so the application's exit code.
 */
@Component
class ExampleRunner implements ApplicationRunner {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final PulsarRpcClient<String, String> shoutClient;
  private final GreeterClient greeterClient;
  private final HealthEndpoint health;
  private final MeterRegistry meters;

  ExampleRunner(
      PulsarRpcClient<String, String> shoutClient,
      GreeterClient greeterClient,
      HealthEndpoint health,
      MeterRegistry meters) {
    this.shoutClient = shoutClient;
    this.greeterClient = greeterClient;
    this.health = health;
    this.meters = meters;
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    System.out.println("shout(\"hello\") -> " + shoutClient.request("hello"));
    String greeting =
        greeterClient
            .greet(GreetRequest.newBuilder().setName("Ada").build())
            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .getText();
    System.out.println("greet(\"Ada\") -> " + greeting);
    System.out.println("health of pulsarRpc: " + health.healthForPath("pulsarRpc").getStatus());
    long rpcMeters =
        meters.getMeters().stream()
            .filter(meter -> meter.getId().getName().startsWith("rpc."))
            .count();
    System.out.println("pulsar-rpc meters: " + rpcMeters);
    System.out.println("Spring Boot example finished: every call was answered.");
  }
}

package io.pulsarrpc.spring.boot.client;

import java.util.UUID;
import org.springframework.core.env.Environment;

/** The default client id: the application's name, made a valid name, and a random suffix. */
final class ClientIds {

  private ClientIds() {}

  static String newDefault(Environment environment) {
    String application = environment.getProperty("spring.application.name", "app");
    String name = application.replaceAll("[^A-Za-z0-9_.\\-]", "-");
    // Random per start: two instances of one application must never share a reply subscription.
    return (name.isEmpty() ? "app" : name) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

package io.pulsarrpc.examples.spring;

import io.pulsarrpc.spring.boot.PulsarRpcHandler;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** A handler bean: the starter serves its annotated method from startup to shutdown. */
@Component
public class Shouter {

  public static final String TOPIC = "persistent://public/default/spring-example-shout";

  /** Served on the subscription {@code <spring.application.name>-rpc}. */
  @PulsarRpcHandler(topic = TOPIC)
  public String shout(String text) {
    return text.toUpperCase(Locale.ROOT) + "!";
  }
}

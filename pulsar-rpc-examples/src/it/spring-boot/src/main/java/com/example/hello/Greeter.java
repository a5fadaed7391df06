package com.example.hello;

import io.pulsarrpc.spring.boot.PulsarRpcHandler;
import org.springframework.stereotype.Component;

@Component
public class Greeter {

  public static final String TOPIC = "persistent://public/default/hello";

  /** Served from startup to shutdown by a server on the subscription hello-rpc. */
  @PulsarRpcHandler(topic = TOPIC)
  public String greet(String name) {
    return "Hello, " + name + "!";
  }
}

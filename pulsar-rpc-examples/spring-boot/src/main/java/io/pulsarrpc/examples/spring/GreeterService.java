package io.pulsarrpc.examples.spring;

import io.pulsarrpc.examples.spring.greeter.GreetReply;
import io.pulsarrpc.examples.spring.greeter.GreetRequest;
import io.pulsarrpc.examples.spring.greeter.GreeterServerImpl;
import io.pulsarrpc.server.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * The generated Greeter service's implementation: as a bean, it is served on the service's topics
 * (named by {@code pulsar-rpc.naming.*}).
 */
@Service
public class GreeterService implements GreeterServerImpl {

  @Override
  public CompletableFuture<GreetReply> greet(GreetRequest request, RequestContext context) {
    return CompletableFuture.completedFuture(
        GreetReply.newBuilder().setText("Hello, " + request.getName()).build());
  }
}

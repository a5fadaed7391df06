package io.pulsarrpc.observability;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.PulsarRpcClientBuilder;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.PulsarRpcServerBuilder;
import io.pulsarrpc.server.RequestHandler;
import io.pulsarrpc.server.ServerInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;

/**
 * Clients and servers of strings with interceptors, over the in-memory bus unless a subclass gives
 * another; closed after each test.
 */
abstract class RpcFixture {

  private static final AtomicInteger TOPICS = new AtomicInteger();

  private final List<AutoCloseable> resources = new ArrayList<>();
  private MessageBus bus;

  @AfterEach
  void closeWhatTheTestOpened() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable resource : resources) {
      resource.close();
    }
    if (bus != null) {
      bus.close();
    }
  }

  /** The bus of the running test, which is closed after it. Default: an in-memory bus. */
  protected MessageBus newBus() {
    return InMemoryMessageBus.create();
  }

  protected final MessageBus bus() {
    if (bus == null) {
      bus = newBus();
    }
    return bus;
  }

  /** Closes {@code resource} after the test, before the bus. */
  protected final <T extends AutoCloseable> T closeAfter(T resource) {
    resources.add(resource);
    return resource;
  }

  protected String newTopic(String name) {
    return name + "-" + TOPICS.incrementAndGet();
  }

  protected PulsarRpcServer<String, String> server(
      String requestTopic,
      String subscription,
      RequestHandler<String, String> handler,
      ServerInterceptor... interceptors)
      throws Exception {
    PulsarRpcServerBuilder<String, String> builder =
        PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .requestSubscription(subscription)
            .shutdownGracePeriod(Duration.ofSeconds(5));
    for (ServerInterceptor interceptor : interceptors) {
      builder.intercept(interceptor);
    }
    PulsarRpcServer<String, String> server = builder.build(bus(), handler, (id, value) -> {});
    resources.add(server);
    return server;
  }

  protected PulsarRpcClient<String, String> client(
      String requestTopic, ClientInterceptor... interceptors) throws Exception {
    PulsarRpcClientBuilder<String, String> builder =
        PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
            .requestTopic(requestTopic)
            .replyTopic(newTopic("replies"))
            .replySubscription("client")
            .replyTimeout(Duration.ofSeconds(30));
    for (ClientInterceptor interceptor : interceptors) {
      builder.intercept(interceptor);
    }
    PulsarRpcClient<String, String> client = builder.build(bus());
    resources.add(client);
    return client;
  }
}

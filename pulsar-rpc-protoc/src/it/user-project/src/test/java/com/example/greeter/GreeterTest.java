package com.example.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.greeter.v1.GreeterClient;
import com.example.greeter.v1.GreeterServer;
import com.example.greeter.v1.HelloReply;
import com.example.greeter.v1.HelloRequest;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.protobuf.ServiceServerOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The generated client calls the generated server, over the in-memory bus (no broker needed);
 * over Pulsar, pass a PulsarClient to create(...) instead.
 */
class GreeterTest {

  @Test
  void oneServerAnswersSayHello() throws Exception {
    try (MessageBus bus = InMemoryMessageBus.create();
        GreeterServer server = GreeterServer.create(new GreeterService("server-1"), bus);
        GreeterClient client = GreeterClient.create(bus)) {

      HelloReply reply =
          client
              .sayHello(HelloRequest.newBuilder().setName("Ada").build())
              .get(30, TimeUnit.SECONDS);

      assertEquals("Hello, Ada!", reply.getMessage());
      assertEquals("server-1", reply.getServer());
    }
  }

  @Test
  void everyServerAnswersRollCall() throws Exception {
    try (MessageBus bus = InMemoryMessageBus.create();
        GreeterServer first = server("first", bus);
        GreeterServer second = server("second", bus);
        GreeterClient client = GreeterClient.create(bus)) {

      List<Response<HelloReply>> replies =
          client
              .rollCall(HelloRequest.newBuilder().setName("everyone").build())
              .get(30, TimeUnit.SECONDS);

      assertTrue(replies.stream().allMatch(Response::isSuccess), replies.toString());
      Set<String> servers =
          replies.stream().map(reply -> reply.value().getServer()).collect(Collectors.toSet());
      assertEquals(Set.of("first", "second"), servers);
    }
  }

  /** A server whose id names its subscription, so that every server gets each multi-call. */
  private static GreeterServer server(String id, MessageBus bus) throws Exception {
    return GreeterServer.create(
        new GreeterService(id), bus, ServiceServerOptions.builder().serverId(id).build());
  }
}

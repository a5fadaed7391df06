package com.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class HelloTest {

  @Test
  void theServerGreetsTheCaller(PulsarTestBroker broker) throws Exception {
    String topic = broker.newTopic("hello");

    try (PulsarRpcServer<String, String> server = HelloServer.start(broker.client(), topic);
        PulsarRpcClient<String, String> client =
            HelloClient.connect(broker.client(), topic, "hello-test")) {
      assertEquals("Hello, Ada!", client.request("Ada"));
    }
  }
}

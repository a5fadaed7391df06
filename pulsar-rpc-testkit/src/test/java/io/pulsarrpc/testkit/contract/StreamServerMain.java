package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.server.PulsarRpcStreamServer;
import java.time.Duration;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * A stream server in a process of its own, for {@link StreamServerCrashIT} to kill: it echoes every
 * message of every stream and prints {@code ready} once it accepts streams.
 *
 * <p>Arguments: the broker's service URL, the request topic, the heartbeat interval in ms.
 */
public final class StreamServerMain {

  private StreamServerMain() {}

  public static void main(String[] args) throws Exception {
    PulsarClient client = PulsarClient.builder().serviceUrl(args[0]).build();
    PulsarRpcStreamServer.builder(Schema.STRING, Schema.STRING)
        .requestTopic(args[1])
        .subscription("echo")
        .heartbeatInterval(Duration.ofMillis(Long.parseLong(args[2])))
        .handler(
            stream -> {
              while (stream.isOpen()) {
                stream.send("echo " + stream.receive());
              }
            })
        .build(client);
    System.out.println("ready");
    System.out.flush();
    Thread.currentThread().join();
  }
}

package io.pulsarrpc.examples.guide;

import io.pulsarrpc.client.PulsarRpcStreamClient;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.server.PulsarRpcStreamServer;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.StreamOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/** A chat-like session: the client sends lines, the server answers each, the client hangs up. */
public final class StreamSnippet {

  private StreamSnippet() {}

  /** Opens a stream to an echo server on {@code topic}; returns what the client received. */
  public static List<String> run(PulsarClient pulsar, String topic) throws Exception {
    try (PulsarRpcStreamServer<String, String> server =
            PulsarRpcStreamServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topic)
                .subscription("echo-server")
                .handler(StreamSnippet::echo)
                .build(pulsar);
        PulsarRpcStreamClient<String, String> client =
            PulsarRpcStreamClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(topic)
                .build(pulsar)) {

      RpcStream<String, String> stream =
          client.open(StreamOptions.defaults().withIdleTimeout(Duration.ofMinutes(1)));
      List<String> answers = new ArrayList<>();
      for (String line : List.of("hello", "how are you?", "bye")) {
        stream.send(line); // returns once the server took the line
        answers.add(stream.receive());
      }
      // The server sees this code and message when its next receive fails.
      stream.closeAsync(new RpcException(ErrorCode.CANCELED, "the user hung up")).get();
      return answers;
    }
  }

  /** The server's side of one stream: runs on a handler thread, so it may block. */
  private static void echo(RpcStream<String, String> stream) {
    try {
      while (true) {
        String line = stream.receive();
        stream.send("echo: " + line);
      }
    } catch (StreamClosedException closed) {
      System.out.println(
          "stream " + stream.streamId() + " ended: " + closed.code() + " " + closed.getMessage());
    }
  }
}

package io.pulsarrpc.examples;

import io.pulsarrpc.client.PulsarRpcStreamClient;
import io.pulsarrpc.server.PulsarRpcStreamServer;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.testkit.PulsarTestBroker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;

/**
 * A chat-like support desk over bidirectional streams: two customers each open a stream to the
 * desk; the desk greets each one first (the server speaks without being asked), answers every line,
 * and sees each customer hang up. Both customers talk at the same time, each on a stream of its
 * own.
 *
 * <p>Run: {@code mvn -q -DskipTests -Pdemo verify
 * -Ddemo.main=io.pulsarrpc.examples.ChatStreamExample}
 */
public final class ChatStreamExample {

  private static final long WAIT_SECONDS = 60;

  private final PrintStream out;
  private final ConcurrentHashMap<String, String> hangUps = new ConcurrentHashMap<>();
  private final CountDownLatch bothHungUp = new CountDownLatch(2);

  ChatStreamExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the example and exits with status 0 when every customer got every answer in order and the
   * desk saw each hang up, 1 otherwise.
   *
   * @param args ignored
   */
  public static void main(String[] args) throws Exception {
    QuietOpenTelemetry.apply();
    boolean ok;
    try (PulsarTestBroker broker = PulsarTestBroker.startFromEnvironment()) {
      ok = new ChatStreamExample(System.out).run(broker);
    }
    System.exit(ok ? 0 : 1);
  }

  /** Runs both conversations; true when they went as expected. */
  boolean run(PulsarTestBroker broker) throws Exception {
    String desk = broker.newTopic("support-desk");
    try (PulsarRpcStreamServer<String, String> server =
            PulsarRpcStreamServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic(desk)
                .subscription("support-desk")
                .handler(this::serve)
                .build(broker.client());
        PulsarRpcStreamClient<String, String> customers =
            PulsarRpcStreamClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(desk)
                .build(broker.client())) {

      CompletableFuture<Boolean> ada =
          CompletableFuture.supplyAsync(
              () -> converse(customers, "ada", List.of("my order is late", "order 42", "thanks")));
      CompletableFuture<Boolean> linus =
          CompletableFuture.supplyAsync(
              () -> converse(customers, "linus", List.of("I need an invoice", "bye")));
      boolean answered =
          ada.get(WAIT_SECONDS, TimeUnit.SECONDS) & linus.get(WAIT_SECONDS, TimeUnit.SECONDS);

      boolean ok = answered && bothHungUp.await(WAIT_SECONDS, TimeUnit.SECONDS);
      out.println(
          ok ? "Both conversations completed in order." : "A conversation went wrong: " + hangUps);
      return ok;
    }
  }

  /** One customer: reads the greeting, sends each line and reads its answer, then hangs up. */
  private boolean converse(
      PulsarRpcStreamClient<String, String> customers, String name, List<String> lines) {
    try (RpcStream<String, String> stream = customers.open()) {
      stream.send("I am " + name);
      out.println(name + " <- " + stream.receive());
      List<String> answers = new ArrayList<>();
      for (String line : lines) {
        out.println(name + " -> " + line);
        stream.send(line);
        String answer = stream.receive();
        out.println(name + " <- " + answer);
        answers.add(answer);
      }
      return answers.equals(lines.stream().map(ChatStreamExample::answerTo).toList());
    }
  }

  /** The desk's side of one stream, on a handler thread: greets, then answers until hang-up. */
  private void serve(RpcStream<String, String> stream) {
    String customer = "?";
    try {
      customer = stream.receive().substring("I am ".length());
      stream.send("hello " + customer + ", you are talking to the support desk");
      while (true) {
        stream.send(answerTo(stream.receive()));
      }
    } catch (StreamClosedException closed) {
      out.println("desk: " + customer + " hung up (" + closed.code() + ")");
      hangUps.put(customer, closed.code().wireName());
      bothHungUp.countDown();
    }
  }

  private static String answerTo(String line) {
    return "noted: " + line.toUpperCase(Locale.ROOT);
  }
}

package io.pulsarrpc.cli;

import com.google.gson.JsonObject;
import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.SubscribeOptions;
import io.pulsarrpc.client.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code subscribe}: the updates of an update topic, printed as they arrive. */
@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    description =
        "Prints the updates published to an update topic until Ctrl-C (or --count / --for).")
final class SubscribeCommand implements Callable<Integer> {

  @ParentCommand PulsarRpcCli root;

  @Mixin PayloadOptions payload;

  @Parameters(
      arity = "0..1",
      paramLabel = "[TOPIC]",
      description = "The update topic (not needed with --method).")
  List<String> arguments;

  @Option(
      names = "--queue",
      paramLabel = "GROUP",
      description = "Join queue group GROUP: each update goes to one member (default: broadcast).")
  String queue;

  @Option(
      names = "--topic",
      paramLabel = "NAME",
      description = "Receive the updates published with this topic only.")
  String updateTopicName;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Stop after N updates (exit code 3 if --for ends first).")
  Integer count;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after DURATION.")
  Duration duration;

  @Override
  public Integer call() {
    if (count != null && count < 1) {
      throw CliException.usage("--count must be at least 1, got " + count);
    }
    PayloadCodec codec = payload.codec();
    String topic = payload.target(arguments, false).topic();
    SubscribeOptions options = subscribeOptions();
    root.seenTopics().add(topic);
    Output output = new Output(root.io().out(), root.json());
    AtomicInteger received = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(1);
    try (BusConnection connection = root.connect()) {
      PulsarRpcSubscriber<byte[]> subscriber = connection.subscriber(topic);
      Subscription subscription;
      try {
        subscription =
            subscriber.subscribe(
                update -> {
                  int number = received.incrementAndGet();
                  if (count != null && number > count) {
                    return;
                  }
                  print(update, codec, output);
                  if (count != null && number == count) {
                    enough.countDown();
                  }
                },
                options);
      } catch (RuntimeException e) {
        throw connection.unreachable(e);
      }
      root.io()
          .err()
          .println(
              "Subscribed to "
                  + topic
                  + (queue != null ? " as queue " + queue : "")
                  + "; Ctrl-C stops.");
      root.io().err().flush();
      try {
        return waitForEnd(enough, received);
      } catch (InterruptedException e) {
        // The shell's Ctrl-C: the user asked to stop, which is this command's normal end.
        return PulsarRpcCli.EXIT_OK;
      } finally {
        subscription.close();
      }
    }
  }

  private int waitForEnd(CountDownLatch enough, AtomicInteger received)
      throws InterruptedException {
    if (duration == null) {
      enough.await();
      return PulsarRpcCli.EXIT_OK;
    }
    if (enough.await(duration.toMillis(), TimeUnit.MILLISECONDS) || count == null) {
      return PulsarRpcCli.EXIT_OK;
    }
    throw new CliException(
        PulsarRpcCli.EXIT_NO_REPLY,
        Math.min(received.get(), count) + " of " + count + " updates within " + duration);
  }

  private SubscribeOptions subscribeOptions() {
    try {
      SubscribeOptions options = SubscribeOptions.defaults();
      if (queue != null) {
        options = options.withQueue(queue);
      }
      if (updateTopicName != null) {
        options = options.withTopic(updateTopicName);
      }
      return options;
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private static void print(byte[] update, PayloadCodec codec, Output output) {
    try {
      if (output.json()) {
        JsonObject line = new JsonObject();
        line.add("update", codec.toJson(update));
        output.object(line);
      } else {
        output.text(codec.decode(update));
      }
    } catch (CliException e) {
      output.text("(undecodable update: " + e.getMessage() + ")");
    }
  }
}

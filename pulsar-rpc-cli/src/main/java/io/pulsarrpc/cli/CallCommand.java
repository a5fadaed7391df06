package io.pulsarrpc.cli;

import com.google.gson.JsonObject;
import io.pulsarrpc.client.PulsarRpcClient;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code call}: one request to a request topic, its reply printed. */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = "Sends one request and prints the reply.")
final class CallCommand implements Callable<Integer> {

  @ParentCommand PulsarRpcCli root;

  @Mixin RequestArguments input;

  @Mixin CallOptions call;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description = "Deliver the request at TIME (ISO-8601 instant or epoch milliseconds).")
  String at;

  @Option(
      names = "--after",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Deliver the request after DURATION.")
  Duration after;

  @Override
  public Integer call() {
    RequestArguments.Request request = input.request(root.io());
    PayloadCodec codec = request.codec();
    Long deliverAt = deliveryTime();
    root.seenTopics().add(request.topic());
    try (BusConnection connection = root.connect()) {
      PulsarRpcClient<byte[], byte[]> client = connection.client(request.topic(), call.timeout);
      CompletableFuture<byte[]> reply =
          deliverAt == null
              ? client.requestAsync(request.bytes(), call.requestOptions())
              : client.requestAtAsync(request.bytes(), call.requestOptions(), deliverAt);
      byte[] value = Spinner.await(reply, root.io(), "waiting for the reply");
      Output output = new Output(root.io().out(), root.json());
      if (output.json()) {
        JsonObject line = new JsonObject();
        line.addProperty("topic", request.topic());
        line.add("reply", codec.toJson(value));
        output.object(line);
      } else {
        output.text(codec.decode(value));
      }
      return PulsarRpcCli.EXIT_OK;
    }
  }

  /** Epoch milliseconds of {@code --at} or {@code --after}, or null for a call now. */
  private Long deliveryTime() {
    if (at == null && after == null) {
      return null;
    }
    if (at != null && after != null) {
      throw CliException.usage("give --at or --after, not both");
    }
    // A call topic needs a claim, which would come only at delivery: the client refuses it too.
    if (call.callTopic != null) {
      throw CliException.usage(
          "--topic does not combine with --at or --after: a scheduled call cannot wait for the"
              + " claim a call topic needs");
    }
    if (after != null) {
      if (after.isNegative()) {
        throw CliException.usage("--after must not be negative");
      }
      return System.currentTimeMillis() + after.toMillis();
    }
    try {
      return at.chars().allMatch(Character::isDigit)
          ? Long.parseLong(at)
          : Instant.parse(at).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw CliException.usage(
          "--at '" + at + "' is neither an ISO-8601 instant (2030-01-01T10:00:00Z) nor epoch ms");
    }
  }
}

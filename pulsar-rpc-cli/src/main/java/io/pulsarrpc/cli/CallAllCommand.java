package io.pulsarrpc.cli;

import com.google.gson.JsonObject;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.Response;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code call-all}: a multi-call, each server's response printed as it arrives, then a summary. */
@Command(
    name = "call-all",
    mixinStandardHelpOptions = true,
    description =
        "Sends a multi-call: every server group answers; prints each response as it arrives,"
            + " then a summary.")
final class CallAllCommand implements Callable<Integer> {

  @ParentCommand PulsarRpcCli root;

  @Mixin RequestArguments input;

  @Mixin CallOptions call;

  @Option(
      names = "--servers",
      paramLabel = "N",
      description =
          "Wait for at least N server groups to answer (while the claim window lasts), rather"
              + " than for those that claim soon after the first.")
  Integer servers;

  @Override
  public Integer call() {
    RequestArguments.Request request = input.request(root.io());
    PayloadCodec codec = request.codec();
    RequestOptions options = requestOptions();
    root.seenTopics().add(request.topic());
    Output output = new Output(root.io().out(), root.json());
    long startedAt = System.nanoTime();
    try (BusConnection connection = root.connect()) {
      PulsarRpcClient<byte[], byte[]> client = connection.client(request.topic(), call.timeout);
      List<Response<byte[]>> responses =
          Spinner.await(
              client.requestAllAsync(
                  request.bytes(), options, response -> print(response, codec, output)),
              root.io(),
              "waiting for the servers");
      long errors = responses.stream().filter(response -> !response.isSuccess()).count();
      double seconds = (System.nanoTime() - startedAt) / 1e9;
      if (output.json()) {
        JsonObject summary = new JsonObject();
        summary.addProperty("responses", responses.size());
        summary.addProperty("ok", responses.size() - errors);
        summary.addProperty("errors", errors);
        JsonObject line = new JsonObject();
        line.add("summary", summary);
        output.object(line);
      } else {
        output.text(
            String.format(
                "%d response%s: %d ok, %d error%s (%.2f s)",
                responses.size(),
                responses.size() == 1 ? "" : "s",
                responses.size() - errors,
                errors,
                errors == 1 ? "" : "s",
                seconds));
      }
      return errors == 0 ? PulsarRpcCli.EXIT_OK : PulsarRpcCli.EXIT_ERROR_REPLY;
    }
  }

  /** The call's options with {@code --servers}; a number out of range is a usage error. */
  private RequestOptions requestOptions() {
    RequestOptions options = call.requestOptions();
    if (servers == null) {
      return options;
    }
    try {
      return options.withExpectedServers(servers);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--servers: " + e.getMessage());
    }
  }

  private static void print(Response<byte[]> response, PayloadCodec codec, Output output) {
    try {
      printDecoded(response, codec, output);
    } catch (CliException e) {
      // Runs on the client's thread, which would only log it: the line says what came instead.
      output.text(response.server() + ": (undecodable reply: " + e.getMessage() + ")");
    }
  }

  private static void printDecoded(Response<byte[]> response, PayloadCodec codec, Output output) {
    if (output.json()) {
      JsonObject line = new JsonObject();
      line.addProperty("server", response.server());
      line.addProperty("ok", response.isSuccess());
      if (response.isSuccess()) {
        line.add("reply", codec.toJson(response.value()));
      } else {
        line.addProperty("code", response.error().code().name());
        line.addProperty("message", response.error().getMessage());
      }
      output.object(line);
    } else if (response.isSuccess()) {
      output.text(response.server() + ": " + codec.decode(response.value()));
    } else {
      output.text(
          response.server()
              + ": error "
              + response.error().code().name()
              + ": "
              + response.error().getMessage());
    }
  }
}

package io.pulsarrpc.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.client.ServerDirectory;
import io.pulsarrpc.inspect.ControlTopic;
import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.inspect.ServerInspection.InFlightCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code servers}: lists the live servers that answer on a control topic, through a {@link
 * ServerDirectory}: a table of the servers, then each one's calls in flight (and, with {@code
 * --dump}, its thread dump); with {@code --json}, one line per server.
 */
@Command(
    name = "servers",
    mixinStandardHelpOptions = true,
    description =
        "Lists the live servers built with a control token: topics, subscription, kinds, API"
            + " versions, uptime, counters and calls in flight.")
final class ServersCommand implements Callable<Integer> {

  /** The environment variable that gives the control token when the option does not. */
  static final String TOKEN_VARIABLE = "PULSAR_RPC_CONTROL_TOKEN";

  @ParentCommand PulsarRpcCli root;

  @Option(
      names = "--control-token",
      paramLabel = "TOKEN",
      description = "The servers' control token (env " + TOKEN_VARIABLE + ").")
  String controlToken;

  @Option(
      names = "--control-topic",
      paramLabel = "TOPIC",
      defaultValue = ControlTopic.DEFAULT,
      description = "The control topic the servers answer on (default ${DEFAULT-VALUE}).")
  String controlTopic;

  // Long enough for a loaded server to answer; a listing ends sooner, once every server that
  // claimed the call has answered, and after the client's 2 s claim window when none claimed it.
  @Option(
      names = "--window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "5s",
      description =
          "How long to wait for the servers' answers (default ${DEFAULT-VALUE}; the listing"
              + " ends once every server that took it has answered).")
  Duration window;

  @Option(names = "--dump", description = "Add each server's thread dump.")
  boolean dump;

  @Override
  public Integer call() {
    String token = controlToken != null ? controlToken : root.io().env().get(TOKEN_VARIABLE);
    if (token == null || token.isBlank()) {
      throw CliException.usage("--control-token (or " + TOKEN_VARIABLE + ") is required");
    }
    if (window.isNegative() || window.isZero()) {
      throw CliException.usage("--window must be positive");
    }
    root.seenTopics().add(controlTopic);
    Output output = new Output(root.io().out(), root.json());
    try (BusConnection connection = root.connect()) {
      ServerDirectory directory = connection.directory(controlTopic, token);
      List<Response<ServerInspection>> answers =
          Spinner.await(directory.listAsync(window, dump), root.io(), "waiting for the servers");
      if (answers.isEmpty()) {
        throw new CliException(
            PulsarRpcCli.EXIT_NO_REPLY,
            "no server answered on "
                + controlTopic
                + ": none with a control token listens on that control topic");
      }
      if (output.json()) {
        answers.forEach(answer -> output.object(ServerJson.of(answer)));
      } else {
        ServerTable.print(answers, output);
      }
      return answers.stream().anyMatch(Response::isSuccess)
          ? PulsarRpcCli.EXIT_OK
          : PulsarRpcCli.EXIT_ERROR_REPLY;
    }
  }

  /** One server's answer as a JSON line: the inspection, or the error it answered with. */
  static final class ServerJson {

    private ServerJson() {}

    static JsonObject of(Response<ServerInspection> answer) {
      JsonObject line = new JsonObject();
      line.addProperty("server", answer.server());
      line.addProperty("ok", answer.isSuccess());
      if (answer.isSuccess()) {
        line.add("inspection", inspection(answer.value()));
      } else {
        line.addProperty("code", answer.error().code().name());
        line.addProperty("message", answer.error().getMessage());
      }
      return line;
    }

    private static JsonObject inspection(ServerInspection server) {
      JsonObject json = new JsonObject();
      json.addProperty("serverId", server.serverId());
      json.addProperty("subscription", server.subscription());
      json.addProperty("connected", server.connected());
      json.add("requestTopics", strings(server.requestTopics()));
      json.add("kinds", strings(server.kinds()));
      json.addProperty("apiVersionMinimum", server.apiVersionMinimum());
      json.addProperty("apiVersionCurrent", server.apiVersionCurrent());
      json.addProperty("startedAtMillis", server.startedAtMillis());
      json.addProperty("takenAtMillis", server.takenAtMillis());
      json.addProperty("uptimeMillis", server.uptimeMillis());
      JsonObject counters = new JsonObject();
      counters.addProperty("served", server.counters().served());
      counters.addProperty("failed", server.counters().failed());
      counters.addProperty("rejected", server.counters().rejected());
      counters.addProperty("inFlight", server.counters().inFlight());
      json.add("counters", counters);
      JsonArray calls = new JsonArray();
      for (InFlightCall call : server.inFlightCalls()) {
        JsonObject entry = new JsonObject();
        entry.addProperty("correlationId", call.correlationId());
        entry.addProperty("topic", call.topic());
        entry.addProperty("kind", call.kind());
        entry.addProperty("receivedAtMillis", call.receivedAtMillis());
        entry.addProperty("deadlineMillis", call.deadlineMillis());
        entry.addProperty("thread", call.thread());
        calls.add(entry);
      }
      json.add("inFlightCalls", calls);
      if (server.threadDump() != null) {
        json.addProperty("threadDump", server.threadDump());
      }
      return json;
    }

    private static JsonArray strings(List<String> values) {
      JsonArray array = new JsonArray();
      values.forEach(array::add);
      return array;
    }
  }

  /**
   * The readable listing: one row per answer (an error row for a server that refused), then the
   * calls in flight of each server with their age and time to deadline at the snapshot, then the
   * thread dumps.
   */
  static final class ServerTable {

    private static final List<String> HEADER =
        List.of(
            "SERVER ID",
            "SUBSCRIPTION",
            "CONNECTED",
            "TOPICS",
            "KINDS",
            "API",
            "UPTIME",
            "SERVED",
            "FAILED",
            "REJECTED",
            "IN FLIGHT");

    private ServerTable() {}

    static void print(List<Response<ServerInspection>> answers, Output output) {
      List<List<String>> rows = new ArrayList<>();
      rows.add(HEADER);
      for (Response<ServerInspection> answer : answers) {
        rows.add(answer.isSuccess() ? row(answer.value()) : errorRow(answer));
      }
      columns(rows).forEach(output::text);
      for (Response<ServerInspection> answer : answers) {
        if (answer.isSuccess() && !answer.value().inFlightCalls().isEmpty()) {
          printCalls(answer.value(), output);
        }
      }
      for (Response<ServerInspection> answer : answers) {
        if (answer.isSuccess() && answer.value().threadDump() != null) {
          output.text("");
          output.text("Thread dump of " + answer.value().serverId() + ":");
          output.text(answer.value().threadDump().stripTrailing());
        }
      }
    }

    private static List<String> row(ServerInspection server) {
      return List.of(
          server.serverId(),
          server.subscription(),
          server.connected() ? "yes" : "no",
          String.join(",", server.requestTopics()),
          String.join(",", server.kinds()),
          server.apiVersionCurrent() == 0
              ? "-"
              : server.apiVersionMinimum() + "-" + server.apiVersionCurrent(),
          duration(server.uptimeMillis()),
          String.valueOf(server.counters().served()),
          String.valueOf(server.counters().failed()),
          String.valueOf(server.counters().rejected()),
          String.valueOf(server.counters().inFlight()));
    }

    private static List<String> errorRow(Response<ServerInspection> answer) {
      return List.of(
          answer.server(),
          "error " + answer.error().code().name() + ": " + answer.error().getMessage());
    }

    private static void printCalls(ServerInspection server, Output output) {
      output.text("");
      output.text("In flight on " + server.serverId() + " (" + server.subscription() + "):");
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("  CORRELATION ID", "TOPIC", "KIND", "AGE", "DEADLINE IN", "THREAD"));
      long now = server.takenAtMillis();
      for (InFlightCall call : server.inFlightCalls()) {
        rows.add(
            List.of(
                "  " + call.correlationId(),
                call.topic(),
                call.kind(),
                duration(now - call.receivedAtMillis()),
                call.deadlineMillis() == 0
                    ? "-"
                    : call.deadlineMillis() >= now
                        ? duration(call.deadlineMillis() - now)
                        : "passed " + duration(now - call.deadlineMillis()) + " ago",
                call.thread() == null ? "(none)" : call.thread()));
      }
      columns(rows).forEach(output::text);
    }

    /** Rows padded to their columns' widths; a short row (an error) leaves the rest out. */
    private static List<String> columns(List<List<String>> rows) {
      int[] widths = new int[rows.get(0).size()];
      for (List<String> row : rows) {
        // An error row's message spans the table: it does not widen the first column.
        if (row.size() == widths.length) {
          for (int i = 0; i < row.size(); i++) {
            widths[i] = Math.max(widths[i], row.get(i).length());
          }
        }
      }
      List<String> lines = new ArrayList<>();
      for (List<String> row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          if (row.size() < widths.length) {
            line.append(i == 0 ? "" : "  ").append(row.get(i));
          } else {
            line.append(String.format("%-" + widths[i] + "s  ", row.get(i)));
          }
        }
        lines.add(line.toString().stripTrailing());
      }
      return lines;
    }

    /** {@code 850ms}, {@code 12.3s}, {@code 4m05s}, {@code 3h02m}, {@code 2d04h}. */
    static String duration(long millis) {
      long ms = Math.max(0, millis);
      if (ms < 1_000) {
        return ms + "ms";
      }
      if (ms < 60_000) {
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
      }
      long seconds = ms / 1000;
      if (seconds < 3600) {
        return String.format("%dm%02ds", seconds / 60, seconds % 60);
      }
      if (seconds < 86_400) {
        return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
      }
      return String.format("%dd%02dh", seconds / 86_400, (seconds % 86_400) / 3600);
    }
  }
}

package io.pulsarrpc.cli;

import io.pulsarrpc.client.RequestOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of one call, shared by {@code call} and {@code call-all}. */
final class CallOptions {

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "10s",
      description = "How long to wait for the reply (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--metadata",
      paramLabel = "KEY=VALUE",
      description = "Metadata for the server (repeatable).")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Option(
      names = "--topic",
      paramLabel = "NAME",
      description = "Send to the servers that registered this call topic only.")
  String callTopic;

  /** The request options these settings make; bad metadata or topic names are usage errors. */
  RequestOptions requestOptions() {
    try {
      RequestOptions options = RequestOptions.defaults().withTimeout(timeout);
      if (!metadata.isEmpty()) {
        options = options.withMetadata(metadata);
      }
      if (callTopic != null) {
        options = options.withTopic(callTopic);
      }
      return options;
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }
}

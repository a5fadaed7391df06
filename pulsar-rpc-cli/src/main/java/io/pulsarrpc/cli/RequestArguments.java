package io.pulsarrpc.cli;

import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * What {@code call} and {@code call-all} send: {@code [TOPIC] [PAYLOAD]} and the payload options,
 * turned into the topic and the request's bytes.
 */
final class RequestArguments {

  @Mixin PayloadOptions payload;

  @Parameters(
      arity = "0..2",
      paramLabel = "[TOPIC] [PAYLOAD]",
      description =
          "The request topic (not needed with --method) and the payload (else --file or stdin).")
  List<String> arguments;

  /**
   * The request these arguments describe, read and encoded; usage errors are thrown before anything
   * connects.
   */
  Request request(CliIo io) {
    PayloadCodec codec = payload.codec();
    PayloadOptions.Target target = payload.target(arguments, true);
    byte[] bytes = codec.encode(payload.payloadText(target.payloadArgument(), io));
    return new Request(target.topic(), bytes, codec);
  }

  /** A request ready to send, and how to read its replies. */
  record Request(String topic, byte[] bytes, PayloadCodec codec) {}
}

package io.pulsarrpc.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import io.pulsarrpc.protobuf.ServiceNaming;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that say what a command sends and receives: the format, or a protobuf method of a
 * descriptor set, which also names the topic by {@link ServiceNaming}'s rule; and where the payload
 * comes from. A mixin of {@code call}, {@code call-all} and {@code subscribe}.
 */
final class PayloadOptions {

  /** The payload formats without a descriptor set. */
  enum Format {
    STRING,
    BYTES,
    JSON
  }

  @Option(
      names = "--format",
      paramLabel = "string|bytes|json",
      defaultValue = "string",
      description =
          "Payloads as UTF-8 text, base64 bytes or JSON (default ${DEFAULT-VALUE}); ignored with"
              + " --proto.")
  Format format;

  @Option(
      names = "--proto",
      paramLabel = "DESCRIPTOR_SET",
      description =
          "A descriptor set (protoc --include_imports --descriptor_set_out=FILE): JSON payloads"
              + " become the --method's request message, replies print as JSON.")
  Path proto;

  @Option(
      names = "--method",
      paramLabel = "pkg.Service/Method",
      description =
          "The protobuf method (with --proto); its topic follows the naming rule of generated"
              + " code unless a TOPIC is given.")
  String method;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description = "Read the payload from FILE ('-' for standard input).")
  Path file;

  private MethodDescriptor resolved;

  /** The method named by {@code --method}, or null without one. */
  MethodDescriptor methodDescriptor() {
    if (method == null && proto == null) {
      return null;
    }
    if (method == null || proto == null) {
      throw CliException.usage("--proto and --method go together: give both or neither");
    }
    if (resolved == null) {
      resolved = ProtoCatalog.load(proto).method(method);
    }
    return resolved;
  }

  /** The codec of these options. */
  PayloadCodec codec() {
    MethodDescriptor descriptor = methodDescriptor();
    if (descriptor != null) {
      return PayloadCodec.protobuf(descriptor.getInputType(), descriptor.getOutputType());
    }
    return switch (format) {
      case STRING -> PayloadCodec.string();
      case BYTES -> PayloadCodec.base64();
      case JSON -> PayloadCodec.json();
    };
  }

  /**
   * The topic and the payload argument of {@code arguments} ({@code [TOPIC] [PAYLOAD]}): with
   * {@code --method}, a single argument is the payload and the topic is the method's.
   */
  Target target(List<String> arguments, boolean takesPayload) {
    int count = arguments == null ? 0 : arguments.size();
    int most = takesPayload ? 2 : 1;
    if (count > most) {
      throw CliException.usage(
          "too many arguments: expected " + (takesPayload ? "[TOPIC] [PAYLOAD]" : "[TOPIC]"));
    }
    MethodDescriptor descriptor = methodDescriptor();
    if (descriptor == null) {
      if (count == 0) {
        throw CliException.usage("a TOPIC is missing (or name a method with --proto and --method)");
      }
      return new Target(arguments.get(0), count == 2 ? arguments.get(1) : null);
    }
    String methodTopic =
        ServiceNaming.defaults()
            .requestTopic(descriptor.getService().getFullName(), descriptor.getName());
    return switch (count) {
      case 0 -> new Target(methodTopic, null);
      case 1 ->
          takesPayload
              ? new Target(methodTopic, arguments.get(0))
              : new Target(arguments.get(0), null);
      default -> new Target(arguments.get(0), arguments.get(1));
    };
  }

  /**
   * The payload's text: the argument, else {@code --file}, else standard input unless a person
   * types at it.
   */
  String payloadText(String argument, CliIo io) {
    if (argument != null && file != null) {
      throw CliException.usage("give the payload as an argument or with --file, not both");
    }
    if (argument != null) {
      return argument;
    }
    try {
      if (file != null && !file.toString().equals("-")) {
        return Files.readString(file, StandardCharsets.UTF_8);
      }
      if (file == null && io.interactive()) {
        throw CliException.usage(
            "a PAYLOAD is missing: give it as an argument, --file or on stdin");
      }
      return read(io.in());
    } catch (IOException e) {
      throw CliException.usage("cannot read the payload: " + Failures.rootMessage(e));
    }
  }

  private static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Where a command sends (or listens) and the payload argument, if any. */
  record Target(String topic, String payloadArgument) {}
}

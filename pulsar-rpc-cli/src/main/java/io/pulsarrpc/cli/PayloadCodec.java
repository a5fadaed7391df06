package io.pulsarrpc.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a command turns the text a user gives into the bytes of a request, and the bytes of a reply
 * or update into text. Encoding failures are usage errors; a reply that does not decode is an error
 * of the call.
 */
interface PayloadCodec {

  /** The bytes of the request {@code text} describes. */
  byte[] encode(String text);

  /** The text a person reads for {@code bytes}. */
  String decode(byte[] bytes);

  /** {@code bytes} as a JSON value, for {@code --json}: the document itself when it is JSON. */
  JsonElement toJson(byte[] bytes);

  /** UTF-8 text as it is. */
  static PayloadCodec string() {
    return new PayloadCodec() {
      @Override
      public byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }

      @Override
      public JsonElement toJson(byte[] bytes) {
        return new JsonPrimitive(decode(bytes));
      }
    };
  }

  /** Raw bytes, written and printed as base64. */
  static PayloadCodec base64() {
    return new PayloadCodec() {
      @Override
      public byte[] encode(String text) {
        try {
          return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
          throw CliException.usage("the payload is not base64: " + e.getMessage());
        }
      }

      @Override
      public String decode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
      }

      @Override
      public JsonElement toJson(byte[] bytes) {
        return new JsonPrimitive(decode(bytes));
      }
    };
  }

  /** A JSON document as UTF-8 text, checked before it is sent. */
  static PayloadCodec json() {
    return new PayloadCodec() {
      @Override
      public byte[] encode(String text) {
        try {
          return JsonParser.parseString(text).toString().getBytes(StandardCharsets.UTF_8);
        } catch (JsonParseException e) {
          throw CliException.usage("the payload is not JSON: " + Failures.rootMessage(e));
        }
      }

      @Override
      public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }

      @Override
      public JsonElement toJson(byte[] bytes) {
        String text = decode(bytes);
        try {
          return JsonParser.parseString(text);
        } catch (JsonParseException e) {
          return new JsonPrimitive(text);
        }
      }
    };
  }

  /**
   * JSON in protobuf's JSON mapping for the request, a protobuf message of {@code requestType} on
   * the wire, and {@code replyType} printed back as JSON.
   */
  static PayloadCodec protobuf(Descriptor requestType, Descriptor replyType) {
    JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    return new PayloadCodec() {
      @Override
      public byte[] encode(String text) {
        DynamicMessage.Builder request = DynamicMessage.newBuilder(requestType);
        try {
          JsonFormat.parser().merge(text.isBlank() ? "{}" : text, request);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
          throw CliException.usage(
              "the payload is not a "
                  + requestType.getFullName()
                  + " in JSON: "
                  + Failures.rootMessage(e));
        }
        return request.build().toByteArray();
      }

      @Override
      public String decode(byte[] bytes) {
        try {
          return printer.print(DynamicMessage.parseFrom(replyType, bytes));
        } catch (InvalidProtocolBufferException e) {
          throw new CliException(
              PulsarRpcCli.EXIT_ERROR_REPLY,
              "the reply is not a " + replyType.getFullName() + ": " + e.getMessage(),
              e);
        }
      }

      @Override
      public JsonElement toJson(byte[] bytes) {
        return JsonParser.parseString(decode(bytes));
      }
    };
  }
}

package io.pulsarrpc.spring.boot.server;

import com.google.protobuf.GeneratedMessageV3;
import io.pulsarrpc.protobuf.ProtobufSchemas;
import org.apache.pulsar.client.api.Schema;
import org.springframework.util.ClassUtils;

/** The schema of a handler's request or reply type, as {@code @PulsarRpcHandler} documents. */
final class HandlerSchemas {

  private static final boolean PROTOBUF =
      ClassUtils.isPresent(
              "com.google.protobuf.GeneratedMessageV3", HandlerSchemas.class.getClassLoader())
          && ClassUtils.isPresent(
              "io.pulsarrpc.protobuf.ProtobufSchemas", HandlerSchemas.class.getClassLoader());

  private HandlerSchemas() {}

  @SuppressWarnings("unchecked")
  static Schema<Object> of(Class<?> type) {
    Schema<?> schema;
    if (type == String.class) {
      schema = Schema.STRING;
    } else if (type == byte[].class) {
      schema = Schema.BYTES;
    } else if (PROTOBUF && Protobuf.isMessage(type)) {
      schema = Protobuf.schema(type);
    } else {
      schema = Schema.JSON(type);
    }
    return (Schema<Object>) schema;
  }

  /** Loaded only when protobuf-java and pulsar-rpc-protobuf are on the classpath. */
  private static final class Protobuf {

    static boolean isMessage(Class<?> type) {
      return GeneratedMessageV3.class.isAssignableFrom(type);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Schema<?> schema(Class<?> type) {
      return ProtobufSchemas.of((Class) type);
    }
  }
}

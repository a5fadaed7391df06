package io.pulsarrpc.bus.support;

import io.pulsarrpc.bus.MessageDecodeException;
import java.util.function.Supplier;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.schema.SchemaInfo;

/**
 * A message value decoded once, with the consumer's schema: the first {@link #get} decodes, later
 * calls return the same value (a decoded null too) or throw the same way. Thread-safe: two racing
 * first calls may both decode, and either result is kept.
 *
 * @param <T> the value type
 */
public final class DecodedValue<T> {

  private final Schema<T> schema;
  private final Supplier<String> description;
  private volatile Decoded<T> decoded;

  /**
   * @param schema the consumer's schema
   * @param description names the message in a decode error, e.g. {@code message 7 on topic
   *     'orders'}; asked only when decoding fails
   */
  public DecodedValue(Schema<T> schema, Supplier<String> description) {
    this.schema = schema;
    this.description = description;
  }

  /**
   * The value decoded from {@code data}, which is copied first (Schema.BYTES returns the array it
   * is given, and a bus's stored bytes are shared).
   *
   * @throws MessageDecodeException naming the message and the schema type, with the schema's
   *     exception as the cause, when the bytes do not decode
   */
  public T get(byte[] data) {
    Decoded<T> value = decoded;
    if (value == null) {
      try {
        value = new Decoded<>(schema.decode(data.clone()));
      } catch (RuntimeException e) {
        throw new MessageDecodeException(
            "cannot decode "
                + description.get()
                + " with the consumer's "
                + schemaType(schema)
                + " schema: "
                + e.getMessage(),
            e);
      }
      decoded = value;
    }
    return value.value();
  }

  private static String schemaType(Schema<?> schema) {
    SchemaInfo info = schema.getSchemaInfo();
    return info == null ? schema.getClass().getSimpleName() : String.valueOf(info.getType());
  }

  /** A decoded value, boxed so that a decoded null is remembered too. */
  private record Decoded<T>(T value) {}
}

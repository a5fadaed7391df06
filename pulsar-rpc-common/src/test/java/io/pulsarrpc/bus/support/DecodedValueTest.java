package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.MessageDecodeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

class DecodedValueTest {

  @Test
  void theValueIsDecodedOnce() {
    AtomicInteger decodes = new AtomicInteger();
    Schema<String> counting =
        new Schema<>() {
          @Override
          public byte[] encode(String message) {
            return Schema.STRING.encode(message);
          }

          @Override
          public String decode(byte[] bytes) {
            decodes.incrementAndGet();
            return Schema.STRING.decode(bytes);
          }

          @Override
          public org.apache.pulsar.common.schema.SchemaInfo getSchemaInfo() {
            return Schema.STRING.getSchemaInfo();
          }

          @Override
          public Schema<String> clone() {
            return this;
          }
        };
    DecodedValue<String> value = new DecodedValue<>(counting, () -> "message 1");
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);

    assertThat(value.get(data)).isEqualTo("hello");
    assertThat(value.get(data)).isEqualTo("hello");
    assertThat(decodes).hasValue(1);
  }

  @Test
  void theDecodedArrayIsACopy() {
    byte[] stored = {1, 2, 3};
    DecodedValue<byte[]> value = new DecodedValue<>(Schema.BYTES, () -> "message 1");

    value.get(stored)[0] = 9;

    assertThat(stored).containsExactly(1, 2, 3);
  }

  @Test
  void bytesThatDoNotDecodeNameTheMessageAndSchema() {
    DecodedValue<Integer> value = new DecodedValue<>(Schema.INT32, () -> "message 7 on topic 'x'");

    assertThatThrownBy(() -> value.get(new byte[] {1}))
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageStartingWith("cannot decode message 7 on topic 'x' with the consumer's INT32")
        .hasCauseInstanceOf(RuntimeException.class);
  }
}

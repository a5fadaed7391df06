package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RememberedReplyTest {

  @Test
  void aReplyReadsBackFromItsBytes() {
    RememberedReply reply =
        new RememberedReply(new byte[] {1, 2, 3}, Map.of("rpc-error-code", "x", "é", "ü"), 42L);

    assertThat(RememberedReply.fromBytes(reply.toBytes())).isEqualTo(reply);
  }

  @Test
  void anErrorReplyWithoutValueReadsBackWithoutValue() {
    RememberedReply reply = new RememberedReply(null, Map.of("errorMessage", "no"), 7L);

    RememberedReply read = RememberedReply.fromBytes(reply.toBytes());

    assertThat(read.value()).isNull();
    assertThat(read).isEqualTo(reply);
  }

  @Test
  void bytesOfAnotherFormatAreRefusedWithAClearError() {
    assertThatThrownBy(() -> RememberedReply.fromBytes(new byte[] {9, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown remembered-reply format 9");
    assertThatThrownBy(() -> RememberedReply.fromBytes(new byte[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a remembered reply");
    byte[] hugeLength = new RememberedReply(new byte[1], Map.of(), 1L).toBytes();
    hugeLength[9] = 0x7f;
    assertThatThrownBy(() -> RememberedReply.fromBytes(hugeLength))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the record");
  }

  @Test
  void theValueCannotBeChangedFromOutside() {
    byte[] value = {1};
    RememberedReply reply = new RememberedReply(value, Map.of(), 1L);
    value[0] = 2;
    reply.value()[0] = 3;

    assertThat(reply.value()).containsExactly(1);
  }
}

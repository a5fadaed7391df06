package io.pulsarrpc.bus.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoreEnvelopeTest {

  private static final long RECEIVED_AT = 1_800_000_000_000L;

  private static final List<String> TRICKY_TEXTS =
      List.of("", " spaces ", "key: value", "100%", "line\r\nbreak", "caf\u00e9", "\uD83D\uDE80");

  @Test
  void keyPropertiesPublishTimeAndValueSurviveTheEnvelope() {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String text : TRICKY_TEXTS) {
      properties.put(text, "value of " + text);
    }
    byte[] value = {0, (byte) 0xFF, 'R', 'P', 1};

    CoreEnvelope.Opened opened =
        read(CoreEnvelope.write("id: 1 \u00e9", properties, 1_700_000_000_123L, false, value));

    assertThat(opened.fields().key()).isEqualTo("id: 1 \u00e9");
    assertThat(opened.fields().properties()).isEqualTo(properties);
    assertThat(opened.fields().nullValue()).isFalse();
    assertThat(opened.fields().deliverAt()).isZero();
    assertThat(opened.publishTime()).isEqualTo(1_700_000_000_123L);
    assertThat(opened.value()).containsExactly(value);
  }

  @Test
  void aMessageWithoutKeyOrPropertiesAndANullValueSurvivesTheEnvelope() {
    CoreEnvelope.Opened opened = read(CoreEnvelope.write(null, Map.of(), 42, true, new byte[0]));

    assertThat(opened.fields().key()).isNull();
    assertThat(opened.fields().properties()).isEmpty();
    assertThat(opened.fields().nullValue()).isTrue();
    assertThat(opened.publishTime()).isEqualTo(42);
    assertThat(opened.value()).isEmpty();
  }

  @Test
  void theEnvelopeIsLaidOutAsDocumented() {
    byte[] body =
        CoreEnvelope.write("k", Map.of("a", "b"), 258, false, "v".getBytes(StandardCharsets.UTF_8));

    assertThat(body)
        .containsExactly(
            0xFF, 'R', 'P', 1, // mark and version
            1, // flags: a key, a value
            0, 0, 0, 0, 0, 0, 1, 2, // publish time 258
            0, 0, 0, 1, 'k', // the key
            0, 0, 0, 1, // one property
            0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b', // its name and value
            'v'); // the value
  }

  @Test
  void aBodyWithoutTheMarkIsAPlainValueReceivedNow() {
    byte[] body = "published by another client".getBytes(StandardCharsets.UTF_8);

    CoreEnvelope.Opened opened = read(body);

    assertThat(opened.fields().key()).isNull();
    assertThat(opened.fields().properties()).isEmpty();
    assertThat(opened.fields().nullValue()).isFalse();
    assertThat(opened.publishTime()).isEqualTo(RECEIVED_AT);
    assertThat(opened.value()).containsExactly(body);
  }

  @Test
  void anEnvelopeCutShortAnywhereBeforeItsValueIsHandedOverWholeAsAPlainValue() {
    byte[] whole = CoreEnvelope.write("key", Map.of("name", "value"), 7, false, new byte[] {9});
    int valueStart = whole.length - 1;

    for (int length = 0; length < valueStart; length++) {
      byte[] cut = Arrays.copyOf(whole, length);

      CoreEnvelope.Opened opened = read(cut);

      assertThat(opened.value()).as("cut to %d bytes", length).containsExactly(cut);
      assertThat(opened.fields().key()).as("cut to %d bytes", length).isNull();
      assertThat(opened.publishTime()).as("cut to %d bytes", length).isEqualTo(RECEIVED_AT);
    }
  }

  @Test
  void aMessageWithHeadersIsReadAsTheJetStreamModeWritesIt() {
    Headers headers = MessageHeaders.write("key", Map.of("replyTopic", "replies"), 0, false);
    headers.put(MessageHeaders.PUBLISH_TIME, "1234");
    byte[] body = "plain".getBytes(StandardCharsets.UTF_8);
    Message message = NatsMessage.builder().subject("rpc.t").headers(headers).data(body).build();

    CoreEnvelope.Opened opened = CoreEnvelope.read(message, RECEIVED_AT);

    assertThat(opened.fields().key()).isEqualTo("key");
    assertThat(opened.fields().properties()).containsExactly(Map.entry("replyTopic", "replies"));
    assertThat(opened.publishTime()).isEqualTo(1234);
    assertThat(opened.value()).containsExactly(body);
  }

  private static CoreEnvelope.Opened read(byte[] body) {
    return CoreEnvelope.read(
        NatsMessage.builder().subject("rpc.t").data(body).build(), RECEIVED_AT);
  }
}

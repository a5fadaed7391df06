package io.pulsarrpc.bus.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.impl.Headers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageHeadersTest {

  private static final List<String> TRICKY_TEXTS =
      List.of(
          "",
          " leading",
          "trailing ",
          "in between",
          "key: value",
          "100%",
          "%41 is not A",
          "line\r\nbreak",
          "tab\there",
          "caf\u00e9",
          "emoji \uD83D\uDE80",
          "p-looks-like-a-property",
          "rpc-key");

  @Test
  void keyPropertiesDeliveryTimeAndNullValueSurviveTheHeaders() {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String text : TRICKY_TEXTS) {
      properties.put(text, "value of " + text);
    }
    properties.put("replyTopic", "persistent://public/default/replies");

    MessageHeaders.Decoded decoded =
        MessageHeaders.read(
            MessageHeaders.write("id: 1 \u00e9", properties, 1_700_000_000_123L, true));

    assertThat(decoded.key()).isEqualTo("id: 1 \u00e9");
    assertThat(decoded.properties()).isEqualTo(properties);
    assertThat(decoded.deliverAt()).isEqualTo(1_700_000_000_123L);
    assertThat(decoded.nullValue()).isTrue();
  }

  @Test
  void aMessageWithoutKeyDelayOrNullValueHasOnlyItsPropertyHeaders() {
    Headers headers = MessageHeaders.write(null, Map.of("replyTopic", "replies"), 0, false);

    assertThat(headers.keySet()).containsExactly("p-replyTopic");
    assertThat(headers.getFirst("p-replyTopic")).isEqualTo("replies");
    MessageHeaders.Decoded decoded = MessageHeaders.read(headers);
    assertThat(decoded.key()).isNull();
    assertThat(decoded.deliverAt()).isZero();
    assertThat(decoded.nullValue()).isFalse();
  }

  @Test
  void encodedTextHoldsOnlyPrintableAsciiWithoutSpacesOrColons() {
    for (String text : TRICKY_TEXTS) {
      String encoded = MessageHeaders.encode(text);

      assertThat(encoded).as("encoding of '%s'", text).matches("[!-9;-~]*");
      assertThat(MessageHeaders.decode(encoded)).isEqualTo(text);
    }
    assertThat(MessageHeaders.encode("reply topic: \u00e9")).isEqualTo("reply%20topic%3A%20%C3%A9");
  }

  @Test
  void textThatNeedsNoEncodingIsSentAsItIs() {
    String plain = "replies-7f3a_x.y~z!";

    assertThat(MessageHeaders.encode(plain)).isSameAs(plain);
  }

  @Test
  void headersOfOtherPublishersAreReadLeniently() {
    Headers headers = new Headers();
    headers.put("Nats-Msg-Id", "abc");
    headers.put("p-discount", "100%");
    headers.put("p-odd", "%zz%4");
    headers.put("rpc-deliver-at", "soon");
    headers.put("rpc-future-header", "ignored");

    MessageHeaders.Decoded decoded = MessageHeaders.read(headers);

    assertThat(decoded.properties())
        .containsOnly(Map.entry("discount", "100%"), Map.entry("odd", "%zz%4"));
    assertThat(decoded.deliverAt()).isZero();
    assertThat(decoded.key()).isNull();
  }

  @Test
  void noHeadersMeanNoKeyAndNoProperties() {
    MessageHeaders.Decoded decoded = MessageHeaders.read(null);

    assertThat(decoded.key()).isNull();
    assertThat(decoded.properties()).isEmpty();
  }
}

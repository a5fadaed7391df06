package io.pulsarrpc.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryLayoutTest {

  private static final String UUID_TEXT = "123e4567-e89b-12d3-a456-426614174000";

  @Test
  void fieldsParseBackToTheSameMessage() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("replyTopic", "replies");
    properties.put("key", "a property named like a field");

    List<byte[]> fields = EntryLayout.fields("id-1", bytes("hello"), properties);
    StreamEntry entry = EntryLayout.parse("orders", "1700000000000-7", fields);

    assertThat(entry.key()).isEqualTo("id-1");
    assertThat(entry.data()).isEqualTo(bytes("hello"));
    assertThat(entry.nullValue()).isFalse();
    assertThat(entry.properties()).isEqualTo(properties);
    assertThat(entry.publishTime()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void aNullValueIsAnEmptyValueFieldMarkedNull() {
    StreamEntry entry =
        EntryLayout.parse("orders", "1-0", EntryLayout.fields(null, null, Map.of()));

    assertThat(entry.key()).isNull();
    assertThat(entry.nullValue()).isTrue();
    assertThat(entry.data()).isEmpty();
  }

  @Test
  void aDelayedMemberIsTheIdTheMaxLengthAndLengthPrefixedFields() {
    byte[] member =
        EntryLayout.delayedMember(
            UUID_TEXT, 100, List.of(bytes("value"), bytes("a;b:c"), bytes("key"), bytes("é")));

    assertThat(new String(member, StandardCharsets.UTF_8))
        .isEqualTo(UUID_TEXT + "100;5:value5:a;b:c3:key2:é");
  }

  @Test
  void sequencesGrowWithTheStreamId() {
    assertThat(StreamEntry.sequence("1700000000000-1"))
        .isGreaterThan(StreamEntry.sequence("1700000000000-0"))
        .isLessThan(StreamEntry.sequence("1700000000001-0"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

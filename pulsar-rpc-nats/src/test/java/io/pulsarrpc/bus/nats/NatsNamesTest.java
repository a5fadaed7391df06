package io.pulsarrpc.bus.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NatsNamesTest {

  /** What stream names, consumer names, subject tokens and key-value keys all allow. */
  private static final String SAFE = "[A-Za-z0-9_-]+";

  private static final List<String> TRICKY_NAMES =
      List.of(
          "persistent://public/default/orders",
          "non-persistent://tenant/ns/topic-partition-0",
          "orders.eu.west",
          "a*b>c",
          "with space",
          " leading and trailing ",
          "tab\tand\nnewline",
          "back\\slash",
          "under_score",
          "double__underscore",
          "_2F",
          "a_2Fb",
          "percent%41",
          "colon:semicolon;",
          "caf\u00e9",
          "\u65e5\u672c\u8a9e",
          "emoji \uD83D\uDE80",
          "$JS.API.>",
          "-");

  @Test
  void aPulsarStyleTopicGetsAReadableStreamAndOneSubjectToken() {
    String topic = "persistent://public/default/orders";

    assertThat(NatsNames.streamName(topic))
        .isEqualTo("RPC_persistent_3A_2F_2Fpublic_2Fdefault_2Forders");
    assertThat(NatsNames.subject(topic))
        .isEqualTo("rpc.persistent_3A_2F_2Fpublic_2Fdefault_2Forders");
  }

  @Test
  void lettersDigitsAndDashesStayAsTheyAre() {
    assertThat(NatsNames.escape("Orders-2024-eu")).isEqualTo("Orders-2024-eu");
    assertThat(NatsNames.durableName("server-sub-1")).isEqualTo("server-sub-1");
  }

  @Test
  void everyTrickyNameMapsToCharactersNatsAllowsAndReadsBack() {
    for (String name : TRICKY_NAMES) {
      String escaped = NatsNames.escape(name);

      assertThat(escaped).as("escaping of '%s'", name).matches(SAFE);
      assertThat(NatsNames.unescape(escaped)).as("reading back '%s'", escaped).isEqualTo(name);
      assertThat(NatsNames.streamName(name)).startsWith("RPC_").matches(SAFE);
      assertThat(NatsNames.subject(name).split("\\.", -1))
          .as("subject tokens of '%s'", name)
          .hasSize(2)
          .allSatisfy(token -> assertThat(token).matches(SAFE));
      assertThat(NatsNames.durableName(name)).matches(SAFE);
    }
  }

  @Test
  void aNameThatLooksLikeAnEscapeDoesNotCollideWithTheNameItLooksLike() {
    assertThat(NatsNames.escape("a/b")).isEqualTo("a_2Fb");
    assertThat(NatsNames.escape("a_2Fb")).isEqualTo("a__2Fb");
    assertThat(NatsNames.escape("_")).isEqualTo("__");
    assertThat(NatsNames.escape("__")).isEqualTo("____");
  }

  @Test
  void distinctNamesNeverShareAStreamSubjectOrDurable() {
    Random random = new Random(42);
    String alphabet = "aZ9-_./:*> %\u00e9\u65e5";
    Map<String, String> nameByStream = new HashMap<>();
    Map<String, String> nameBySubject = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      StringBuilder name = new StringBuilder();
      int length = 1 + random.nextInt(6);
      for (int j = 0; j < length; j++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String topic = name.toString();
      if (topic.isBlank()) {
        continue;
      }
      String previous = nameByStream.put(NatsNames.streamName(topic), topic);
      assertThat(previous).as("stream of '%s'", topic).isIn(null, topic);
      previous = nameBySubject.put(NatsNames.subject(topic), topic);
      assertThat(previous).as("subject of '%s'", topic).isIn(null, topic);
    }
  }

  @Test
  void aBlankTopicOrSubscriptionIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NatsNames.streamName(" "))
        .withMessageContaining("topic");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NatsNames.durableName(""))
        .withMessageContaining("subscription");
  }

  @Test
  void aNameTooLongForAStreamIsRefusedRatherThanShortened() {
    String longest = "a".repeat(NatsNames.MAX_NAME_LENGTH - NatsNames.STREAM_PREFIX.length());
    String tooLong = "/".repeat(100);

    assertThat(NatsNames.streamName(longest)).hasSize(NatsNames.MAX_NAME_LENGTH);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NatsNames.streamName(longest + "a"))
        .withMessageContaining("too long");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NatsNames.subject(tooLong))
        .withMessageContaining("too long");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NatsNames.durableName(tooLong))
        .withMessageContaining("subscription")
        .withMessageContaining("too long");
  }

  @Test
  void unescapeRefusesTextThatNoNameEscapesTo() {
    for (String notEscaped : List.of("a b", "a.b", "_", "_2", "_zz", "_2f", "_C3")) {
      assertThatIllegalArgumentException()
          .as("'%s'", notEscaped)
          .isThrownBy(() -> NatsNames.unescape(notEscaped));
    }
  }
}

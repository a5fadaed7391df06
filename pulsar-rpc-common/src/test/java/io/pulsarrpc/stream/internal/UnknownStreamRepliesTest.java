package io.pulsarrpc.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownStreamRepliesTest {

  private final UnknownStreamReplies replies = new UnknownStreamReplies();

  @Test
  void eachUnknownStreamIsAnsweredOnce() {
    assertThat(replies.shouldAnswer(StreamFrame.Type.DATA, "s1", 0)).isTrue();
    assertThat(replies.shouldAnswer(StreamFrame.Type.ACK, "s1", 0)).isFalse();
  }

  @Test
  void closeIsNeverAnswered() {
    assertThat(replies.shouldAnswer(StreamFrame.Type.CLOSE, "s1", 0)).isFalse();
  }

  @Test
  void answersAreBoundedPerSecond() {
    int answered = 0;
    for (int i = 0; i < 1_000; i++) {
      if (replies.shouldAnswer(StreamFrame.Type.DATA, "s" + i, 0)) {
        answered++;
      }
    }

    assertThat(answered).isEqualTo(UnknownStreamReplies.PER_SECOND);
    assertThat(replies.shouldAnswer(StreamFrame.Type.DATA, "later", 1_000_000_000L)).isTrue();
  }
}

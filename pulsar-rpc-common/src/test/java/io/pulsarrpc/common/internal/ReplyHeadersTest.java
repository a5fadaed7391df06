package io.pulsarrpc.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.common.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplyHeadersTest {

  @Test
  void anErrorReplyReadsBackWithItsCodeMessageAndDetails() {
    ReplyHeaders.Error error =
        new ReplyHeaders.Error(ErrorCode.NOT_FOUND, "no such order", Map.of("order", "42"));

    ReplyHeaders reply =
        ReplyHeaders.read(ReplyHeaders.write("server-a", "1700", "client-1", error.properties()));

    assertThat(reply.serverSubscription()).isEqualTo("server-a");
    assertThat(reply.replySubscription()).isEqualTo("client-1");
    assertThat(reply.error()).isEqualTo(error);
  }

  @Test
  void aSuccessHasNoErrorAndEchoesTheScheduledTime() {
    Map<String, String> properties = ReplyHeaders.write("server-a", "1700", null, Map.of());

    assertThat(properties)
        .containsOnly(Map.entry("serverSub", "server-a"), Map.entry("deliverAt", "1700"));
    assertThat(ReplyHeaders.read(properties).error()).isNull();
  }

  @Test
  void aProposalErrorReplyWithoutCodeIsUnknown() {
    ReplyHeaders reply = ReplyHeaders.read(Map.of("errorMessage", "boom"));

    assertThat(reply.error().code()).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(reply.error().message()).isEqualTo("boom");
    assertThat(reply.error().details()).isEmpty();
  }

  @Test
  void aReplyIsForTheClientItNamesOrForAnyWhenItNamesNone() {
    assertThat(ReplyHeaders.read(Map.of("rpc-reply-subscription", "a")).isFor("a")).isTrue();
    assertThat(ReplyHeaders.read(Map.of("rpc-reply-subscription", "a")).isFor("b")).isFalse();
    assertThat(ReplyHeaders.read(Map.of()).isFor("b")).isTrue();
  }
}

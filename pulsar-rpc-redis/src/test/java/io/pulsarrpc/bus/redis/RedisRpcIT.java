package io.pulsarrpc.bus.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.server.RpcBehaviourSuite;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The conformance suite on the Redis bus, against a real redis-server. */
@ExtendWith(TestBrokersExtension.class)
class RedisRpcIT extends RpcBehaviourSuite {

  private final RedisMessageBus bus;

  RedisRpcIT(RedisTestServer redis) {
    this.bus = RedisMessageBus.create(redis.url());
  }

  @Override
  protected void afterResourcesClosed() {
    bus.close();
  }

  @Override
  protected MessageBus bus() {
    return bus;
  }

  @Override
  protected String newTopic(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  @Disabled("the Redis bus has no topic patterns; see aReplyTopicsPatternIsRefusedWithAClearError")
  public void aClientWithAReplyTopicsPatternReceivesRepliesOnEveryMatchingTopic() {}

  @Test
  void aReplyTopicsPatternIsRefusedWithAClearError() {
    assertThatThrownBy(
            () ->
                client(
                    topics(),
                    "pattern-client",
                    builder -> builder.replyTopicsPattern(Pattern.compile("replies-.*"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis bus does not support patterns");
  }
}

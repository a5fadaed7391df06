package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.testkit.RedisTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The behaviour suite on the Redis bus, against a real redis-server. */
@ExtendWith(TestBrokersExtension.class)
class RedisRpcIT extends RpcBehaviourSuite {

  private final RedisMessageBus bus;

  RedisRpcIT(RedisTestServer redis) {
    this.bus = RedisMessageBus.create(redis.url());
  }

  @Override
  void afterResourcesClosed() {
    bus.close();
  }

  @Override
  MessageBus bus() {
    return bus;
  }

  @Override
  String newTopic(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  @Disabled("the Redis bus has no topic patterns; see aReplyTopicsPatternIsRefusedWithAClearError")
  void aClientWithAReplyTopicsPatternReceivesRepliesOnEveryMatchingTopic() {}

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

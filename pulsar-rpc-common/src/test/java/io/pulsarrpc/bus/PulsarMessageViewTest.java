package io.pulsarrpc.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.junit.jupiter.api.Test;

class PulsarMessageViewTest {

  private static final BusMessageId ID = new BusMessageId("orders", "7", 7);

  @Test
  void delegatesWhatTheBusCarries() {
    Message<String> view =
        PulsarMessageView.of(new FixedMessage("k-1", Map.of("a", "1"), "hello", 1234L, 2));

    assertThat(view.getValue()).isEqualTo("hello");
    assertThat(view.getData()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(view.size()).isEqualTo(5);
    assertThat(view.hasKey()).isTrue();
    assertThat(view.getKey()).isEqualTo("k-1");
    assertThat(view.getKeyBytes()).isEqualTo("k-1".getBytes(StandardCharsets.UTF_8));
    assertThat(view.getProperties()).containsExactly(Map.entry("a", "1"));
    assertThat(view.hasProperty("a")).isTrue();
    assertThat(view.hasProperty("b")).isFalse();
    assertThat(view.getProperty("a")).isEqualTo("1");
    assertThat(view.getProperty("b")).isNull();
    assertThat(view.getMessageId()).isEqualTo(ID);
    assertThat(view.getPublishTime()).isEqualTo(1234L);
    assertThat(view.getTopicName()).isEqualTo("orders");
    assertThat(view.getRedeliveryCount()).isEqualTo(2);
  }

  @Test
  void reportsPulsarOnlyMetadataAsNotSet() {
    Message<String> view = PulsarMessageView.of(new FixedMessage("k", Map.of(), "v", 1L, 0));

    assertThat(view.getEventTime()).isZero();
    assertThat(view.getSequenceId()).isEqualTo(PulsarMessageView.NO_SEQUENCE_ID).isEqualTo(-1L);
    assertThat(view.getProducerName()).isNull();
    assertThat(view.hasBase64EncodedKey()).isFalse();
    assertThat(view.hasOrderingKey()).isFalse();
    assertThat(view.getOrderingKey()).isNull();
    assertThat(view.getEncryptionCtx()).isEmpty();
    assertThat(view.getSchemaVersion()).isNull();
    assertThat(view.getReaderSchema()).isEmpty();
    assertThat(view.isReplicated()).isFalse();
    assertThat(view.getReplicatedFrom()).isNull();
    assertThat(view.hasBrokerPublishTime()).isFalse();
    assertThat(view.getBrokerPublishTime()).isEmpty();
    assertThat(view.hasIndex()).isFalse();
    assertThat(view.getIndex()).isEmpty();
  }

  @Test
  void aMessageWithoutKeyHasNoKeyBytes() {
    Message<String> view = PulsarMessageView.of(new FixedMessage(null, Map.of(), "v", 1L, 0));

    assertThat(view.hasKey()).isFalse();
    assertThat(view.getKey()).isNull();
    assertThat(view.getKeyBytes()).isNull();
  }

  @Test
  void propertiesCannotBeChangedThroughTheView() {
    Message<String> view =
        PulsarMessageView.of(
            new FixedMessage("k", new java.util.HashMap<>(Map.of("a", "1")), "v", 1L, 0));

    assertThatThrownBy(() -> view.getProperties().put("b", "2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aDecodeFailureSurfacesFromGetValue() {
    MessageDecodeException failure = new MessageDecodeException("bad bytes", null);
    FixedMessage undecodable =
        new FixedMessage("k", Map.of(), "v", 1L, 0) {
          @Override
          public String value() {
            throw failure;
          }
        };

    assertThatThrownBy(() -> PulsarMessageView.of(undecodable).getValue()).isSameAs(failure);
  }

  @Test
  void releaseDoesNothing() {
    Message<String> view = PulsarMessageView.of(new FixedMessage("k", Map.of(), "v", 1L, 0));

    view.release();

    assertThat(view.getValue()).isEqualTo("v");
  }

  @Test
  void refusesNull() {
    assertThatNullPointerException().isThrownBy(() -> PulsarMessageView.of(null));
  }

  /** An incoming message with fixed contents; acknowledgement is not the view's business. */
  private static class FixedMessage implements IncomingMessage<String> {
    private final String key;
    private final Map<String, String> properties;
    private final String value;
    private final long publishTime;
    private final int redeliveryCount;

    FixedMessage(
        String key,
        Map<String, String> properties,
        String value,
        long publishTime,
        int redeliveryCount) {
      this.key = key;
      this.properties = properties;
      this.value = value;
      this.publishTime = publishTime;
      this.redeliveryCount = redeliveryCount;
    }

    @Override
    public String topic() {
      return "orders";
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public Map<String, String> properties() {
      return properties;
    }

    @Override
    public String value() {
      return value;
    }

    @Override
    public byte[] data() {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public MessageId id() {
      return ID;
    }

    @Override
    public long publishTime() {
      return publishTime;
    }

    @Override
    public int redeliveryCount() {
      return redeliveryCount;
    }

    @Override
    public CompletableFuture<Void> acknowledge() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void negativeAcknowledge() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Message<String> asPulsarMessage() {
      return PulsarMessageView.of(this);
    }

    @Override
    public Consumer<String> pulsarConsumer() {
      return null;
    }
  }
}

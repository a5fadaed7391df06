package io.pulsarrpc.bus;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.pulsar.client.api.MessageId;

/**
 * A message id of a bus other than Pulsar (a Redis stream entry id, a JetStream sequence, an
 * in-memory counter), presented as Pulsar's {@link MessageId} so that callbacks have one type. Ids
 * of one topic compare in publish order when the bus's ids do; {@link #toString()} is the bus's own
 * id.
 */
public final class BusMessageId implements MessageId {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private final String id;
  private final long sequence;

  /**
   * @param topic the topic of the message
   * @param id the bus's own id, as text
   * @param sequence a number that grows with publish order on the topic, for ordering
   */
  public BusMessageId(String topic, String id, long sequence) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.id = Objects.requireNonNull(id, "id");
    this.sequence = sequence;
  }

  /** The topic of the message. */
  public String topic() {
    return topic;
  }

  @Override
  public byte[] toByteArray() {
    return (topic + "\n" + id + "\n" + sequence).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public int compareTo(MessageId other) {
    if (!(other instanceof BusMessageId that)) {
      throw new IllegalArgumentException("cannot compare with " + other);
    }
    int byTopic = topic.compareTo(that.topic);
    return byTopic != 0 ? byTopic : Long.compare(sequence, that.sequence);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BusMessageId that
        && topic.equals(that.topic)
        && id.equals(that.id)
        && sequence == that.sequence;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, id, sequence);
  }

  @Override
  public String toString() {
    return id;
  }
}

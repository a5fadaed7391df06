package io.pulsarrpc.common.internal;

import io.pulsarrpc.common.WireProperties;
import java.util.Map;
import java.util.UUID;

/**
 * The fields of an update message, which a publisher writes ({@link #write}) and a subscriber reads
 * ({@link #read}) (docs/protocol.md): a unique update id as the key, {@code rpc-kind=update}, and
 * the update's topic in {@code rpc-topic} when it has one (routing is by bus topic; this informs).
 * Immutable.
 *
 * @param kind the {@link WireProperties#KIND} the message carries, or null
 * @param topic the update's topic, or null
 */
public record UpdateHeaders(String kind, String topic) {

  /** The value of {@link WireProperties#KIND} on an update. */
  public static final String KIND = "update";

  /** A new update id, the key of an update message: unique, so any bus may use it as a key. */
  public static String newUpdateId() {
    return UUID.randomUUID().toString();
  }

  /** The properties of an update with {@code topic} (null for none). */
  public static Map<String, String> write(String topic) {
    return topic == null
        ? Map.of(WireProperties.KIND, KIND)
        : Map.of(WireProperties.KIND, KIND, WireProperties.TOPIC, topic);
  }

  /** Reads an update's properties. */
  public static UpdateHeaders read(Map<String, String> properties) {
    return new UpdateHeaders(
        properties.get(WireProperties.KIND), properties.get(WireProperties.TOPIC));
  }

  /**
   * Whether the message is an update: it says so, or says nothing, as a message published to the
   * update topic by a plain producer of the bus does.
   */
  public boolean isUpdate() {
    return kind == null || KIND.equals(kind);
  }
}

package io.pulsarrpc.bus.memory;

import io.pulsarrpc.bus.BusMessageId;
import java.util.Map;

/**
 * A published message as the bus keeps it: encoded once, shared by every subscription that gets it,
 * never modified.
 *
 * @param data the encoded value; callers hand out copies, never this array
 * @param nullValue whether the producer published a null value (then {@code data} is empty)
 */
record StoredMessage(
    String topic,
    String key,
    Map<String, String> properties,
    byte[] data,
    boolean nullValue,
    BusMessageId id,
    long sequence,
    long publishTime) {}

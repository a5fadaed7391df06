package io.pulsarrpc.common.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Reads the entries of a message's properties that share a prefix, such as {@code rpc-meta-}. */
public final class PrefixedProperties {

  private PrefixedProperties() {}

  /**
   * The properties whose names start with {@code prefix} (and go on after it), by the rest of their
   * name; unmodifiable, empty when there are none.
   */
  public static Map<String, String> read(Map<String, String> properties, String prefix) {
    Map<String, String> found = null;
    for (Map.Entry<String, String> property : properties.entrySet()) {
      String name = property.getKey();
      if (name.length() > prefix.length()
          && name.startsWith(prefix)
          && property.getValue() != null) {
        if (found == null) {
          found = new HashMap<>();
        }
        found.put(name.substring(prefix.length()), property.getValue());
      }
    }
    return found == null ? Map.of() : Collections.unmodifiableMap(found);
  }
}

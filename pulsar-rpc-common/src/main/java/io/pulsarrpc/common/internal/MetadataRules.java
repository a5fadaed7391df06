package io.pulsarrpc.common.internal;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What metadata a caller may attach to a request or a stream: keys of 1 to 128 letters, digits,
 * {@code .}, {@code _} or {@code -} (safe as a property or header name on every bus), values any
 * text without line breaks. The one place both options types check it.
 */
public final class MetadataRules {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private MetadataRules() {}

  /**
   * An unmodifiable copy of {@code metadata}.
   *
   * @throws IllegalArgumentException when null, or a key or value is not acceptable
   */
  public static Map<String, String> checkedMetadata(Map<String, String> metadata) {
    if (metadata == null) {
      throw new IllegalArgumentException("metadata must not be null");
    }
    metadata.forEach(MetadataRules::checkedValue);
    metadata.keySet().forEach(MetadataRules::checkedKey);
    return Map.copyOf(metadata);
  }

  /**
   * @throws IllegalArgumentException when the key is not acceptable
   */
  public static String checkedKey(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "metadata key must be 1 to 128 letters, digits, '.', '_' or '-', got '" + key + "'");
    }
    return key;
  }

  /**
   * @throws IllegalArgumentException when the value is not acceptable
   */
  public static String checkedValue(String key, String value) {
    if (value == null || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "metadata value of '" + key + "' must be text without line breaks, got " + value);
    }
    return value;
  }
}

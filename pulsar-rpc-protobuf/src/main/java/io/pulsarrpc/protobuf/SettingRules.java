package io.pulsarrpc.protobuf;

import java.util.regex.Pattern;

/**
 * The checks of the service options' setters that the core has no twin of; the others are {@link
 * io.pulsarrpc.common.internal.SettingChecks}'.
 */
final class SettingRules {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private SettingRules() {}

  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /** A name that goes into topic and subscription names on every bus. */
  static String name(String value, String name) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name + " must be letters, digits, '_', '.' or '-', got '" + value + "'");
    }
    return value;
  }
}

package io.pulsarrpc.protobuf;

import io.pulsarrpc.common.internal.SettingChecks;
import java.time.Duration;
import java.util.regex.Pattern;

/** The checks of the service options' setters, with the core builders' messages. */
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

  static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return value;
  }

  static Duration positive(Duration value, String name) {
    return SettingChecks.positive(value, name);
  }
}

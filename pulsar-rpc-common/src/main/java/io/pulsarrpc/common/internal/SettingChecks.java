package io.pulsarrpc.common.internal;

import java.time.Duration;

/**
 * The checks the builders' setters make on a single value, with the same wording everywhere. Not
 * API. Stateless.
 */
public final class SettingChecks {

  private SettingChecks() {}

  /**
   * Returns {@code value}.
   *
   * @throws IllegalArgumentException naming the setting when the value is null or blank
   */
  public static String nonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  /**
   * Returns {@code value}.
   *
   * @throws IllegalArgumentException naming the setting when the value is null, zero or negative
   */
  public static Duration positive(Duration value, String name) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /**
   * Returns {@code value}.
   *
   * @throws IllegalArgumentException naming the setting when the value is below 1
   */
  public static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return value;
  }

  /**
   * Returns {@code token}, a control token: it travels as metadata, so it may not hold a line
   * break, and the message never echoes it (it is a secret).
   *
   * @throws IllegalArgumentException when the token is null, blank or holds a line break
   */
  public static String controlToken(String token) {
    if (token == null || token.isBlank() || token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("controlToken must be non-blank text without line breaks");
    }
    return token;
  }
}

package io.pulsarrpc.examples;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences one line a newcomer need not read: with the broker's libraries on the classpath, the
 * OpenTelemetry API announces through java.util.logging that it will not configure itself.
 */
final class QuietOpenTelemetry {

  /** Held here because java.util.logging keeps loggers only weakly. */
  private static final Logger OPEN_TELEMETRY_LOG = Logger.getLogger("io.opentelemetry");

  private QuietOpenTelemetry() {}

  static void apply() {
    OPEN_TELEMETRY_LOG.setLevel(Level.WARNING);
  }
}

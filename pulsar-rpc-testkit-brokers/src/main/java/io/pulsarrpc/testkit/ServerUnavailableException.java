package io.pulsarrpc.testkit;

/** A local server cannot be started because its program is not installed. */
final class ServerUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  ServerUnavailableException(String message) {
    super(message);
  }
}

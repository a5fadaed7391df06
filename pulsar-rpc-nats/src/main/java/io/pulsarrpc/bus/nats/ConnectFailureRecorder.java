package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.impl.ErrorListenerLoggerImpl;

/**
 * jnats's default error listener that also keeps the last exception it was told of. When {@code
 * Nats.connect} gives up, its exception says only "Unable to connect"; the reason (a refused
 * connection, a TLS certificate that is not trusted) went to the error listener, and this is where
 * the bus finds it to say why. Thread-safe.
 */
final class ConnectFailureRecorder extends ErrorListenerLoggerImpl {

  private volatile Exception last;

  @Override
  public void exceptionOccurred(Connection connection, Exception exception) {
    last = exception;
    super.exceptionOccurred(connection, exception);
  }

  /** The last exception reported, or null. */
  Exception last() {
    return last;
  }
}

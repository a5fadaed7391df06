package io.pulsarrpc.bus.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Logs a background task's failures without flooding the log while Redis is down: the first failure
 * in a row as a warning, the following ones at debug level, and the recovery once. Thread-safe.
 */
final class FailureLog {

  private final Logger log;
  private final String task;
  private final AtomicBoolean failing = new AtomicBoolean();

  FailureLog(Logger log, String task) {
    this.log = log;
    this.task = task;
  }

  void failed(Throwable error) {
    if (failing.compareAndSet(false, true)) {
      log.warn("{} failed; retrying quietly until it works again: {}", task, error.toString());
    } else {
      log.debug("{} failed again", task, error);
    }
  }

  void succeeded() {
    if (failing.compareAndSet(true, false)) {
      log.info("{} works again", task);
    }
  }
}

package io.pulsarrpc.bus;

/** Where a new subscription starts reading. */
public enum InitialPosition {
  /** At messages published after the subscription was created. */
  LATEST,
  /** At the oldest message the bus still holds for the topic. */
  EARLIEST
}

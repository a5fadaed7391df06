package io.pulsarrpc.common.internal;

import io.pulsarrpc.common.WireProperties;

/** The kind of a call, as a request carries it in {@link WireProperties#KIND}. */
public enum CallKind {
  /** One server of the subscription answers; no {@code rpc-kind} on the wire (the proposal's). */
  SINGLE(null),
  /** Every server group that receives the request claims it, then answers. */
  MULTI("multi"),
  /** Servers offer a score; the one the caller selects runs the request. */
  AFFINITY("affinity");

  private final String wireName;

  CallKind(String wireName) {
    this.wireName = wireName;
  }

  /** The value of {@link WireProperties#KIND}, null for a single call. */
  public String wireName() {
    return wireName;
  }

  /** The kind a request names; null for a name this version does not know. */
  static CallKind fromWireName(String wireName) {
    if (wireName == null) {
      return SINGLE;
    }
    for (CallKind kind : values()) {
      if (wireName.equals(kind.wireName)) {
        return kind;
      }
    }
    return null;
  }

  /** Whether a server claims (or offers) a request of this kind before running it. */
  public boolean claims() {
    return this != SINGLE;
  }
}

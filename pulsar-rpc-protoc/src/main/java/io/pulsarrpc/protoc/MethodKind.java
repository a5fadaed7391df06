package io.pulsarrpc.protoc;

/** The call kinds a method of a service can have, from its shape and its options. */
enum MethodKind {
  /** One server answers. */
  SINGLE,
  /** Every server answers; the client gathers the answers. */
  MULTI,
  /** The servers offer scores; the client picks one. */
  AFFINITY,
  /** Servers publish updates that every subscribed client receives. */
  BROADCAST,
  /** Servers publish updates that one client of a queue group receives. */
  QUEUE,
  /** Both sides send until one closes. */
  STREAM;

  boolean isSubscription() {
    return this == BROADCAST || this == QUEUE;
  }
}

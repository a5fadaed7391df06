package io.pulsarrpc.testkit;

import java.util.UUID;

/** Unique topic names for tests, so that tests sharing a broker never see each other's messages. */
final class TopicNames {

  private static final String NAMESPACE_PREFIX = "persistent://public/default/";

  private TopicNames() {}

  static String unique(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    String safe = name.strip().replaceAll("[^A-Za-z0-9_-]", "-");
    return NAMESPACE_PREFIX + safe + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

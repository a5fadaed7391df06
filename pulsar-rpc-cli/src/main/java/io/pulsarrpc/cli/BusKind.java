package io.pulsarrpc.cli;

import java.util.Locale;
import java.util.Map;

/** The buses the command line speaks, with where each one's URL comes from by default. */
enum BusKind {
  PULSAR("PULSAR_SERVICE_URL", "pulsar://localhost:6650"),
  REDIS("REDIS_URL", "redis://localhost:6379"),
  NATS("NATS_URL", "nats://localhost:4222");

  private final String urlVariable;
  private final String localUrl;

  BusKind(String urlVariable, String localUrl) {
    this.urlVariable = urlVariable;
    this.localUrl = localUrl;
  }

  /** {@code PULSAR_RPC_BUS}, else Pulsar. */
  static BusKind fromEnvironment(Map<String, String> env) {
    String name = env.get("PULSAR_RPC_BUS");
    if (name == null || name.isBlank()) {
      return PULSAR;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("PULSAR_RPC_BUS must be pulsar, redis or nats, got '" + name + "'");
    }
  }

  /** {@code PULSAR_RPC_SERVICE_URL}, else this bus's usual variable, else its local URL. */
  String urlFromEnvironment(Map<String, String> env) {
    for (String variable : new String[] {"PULSAR_RPC_SERVICE_URL", urlVariable}) {
      String url = env.get(variable);
      if (url != null && !url.isBlank()) {
        return url.trim();
      }
    }
    return localUrl;
  }

  String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package io.pulsarrpc.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach the bus, as the options and the environment say.
 *
 * @param bus the bus
 * @param serviceUrl the URL given on the command line, or null for the environment's
 * @param token the token (Pulsar JWT, Redis password, NATS token), or null
 * @param tlsTrustCerts CA certificates (PEM) to trust, or null for the JVM's
 * @param tlsAllowInsecure whether to accept any server certificate
 * @param connectTimeout how long connecting (and each bus operation) may take
 * @param env the environment
 */
record ConnectionSettings(
    BusKind bus,
    String serviceUrl,
    String token,
    Path tlsTrustCerts,
    boolean tlsAllowInsecure,
    Duration connectTimeout,
    Map<String, String> env) {

  String url() {
    return serviceUrl != null && !serviceUrl.isBlank()
        ? serviceUrl.trim()
        : bus.urlFromEnvironment(env);
  }

  boolean hasToken() {
    return token != null && !token.isBlank();
  }
}

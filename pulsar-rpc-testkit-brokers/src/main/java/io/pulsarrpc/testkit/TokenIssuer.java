package io.pulsarrpc.testkit;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Signs tokens for a broker with token authentication: one random HS256 secret per broker, an
 * {@value #SUPER_USER} role for the testkit's own client and admin, any other role for tests.
 */
final class TokenIssuer {

  static final String SUPER_USER = "admin";

  private final byte[] secret = new byte[32];
  private final SecretKey key;

  TokenIssuer() {
    new SecureRandom().nextBytes(secret);
    this.key = Keys.hmacShaKeyFor(secret);
  }

  /** A token whose subject (the Pulsar role) is {@code role}, valid until the broker goes. */
  String tokenFor(String role) {
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("role must not be blank");
    }
    return Jwts.builder().setSubject(role).signWith(key).compact();
  }

  /** The broker settings that turn token authentication on, with the testkit as super-user. */
  Map<String, String> brokerSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("authenticationEnabled", "true");
    settings.put(
        "authenticationProviders",
        "org.apache.pulsar.broker.authentication.AuthenticationProviderToken");
    settings.put("tokenSecretKey", "data:;base64," + Base64.getEncoder().encodeToString(secret));
    settings.put("superUserRoles", SUPER_USER);
    settings.put(
        "brokerClientAuthenticationPlugin",
        "org.apache.pulsar.client.impl.auth.AuthenticationToken");
    settings.put("brokerClientAuthenticationParameters", "token:" + tokenFor(SUPER_USER));
    return settings;
  }
}

package io.pulsarrpc.testkit;

import java.util.function.Supplier;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.admin.PulsarAdminBuilder;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client and admin a broker fixture shares: created on first use, closed with the fixture. */
final class PulsarClients {

  private static final Logger log = LoggerFactory.getLogger(PulsarClients.class);

  private final Supplier<String> serviceUrl;
  private final Supplier<String> adminUrl;
  private final String token;
  private PulsarClient client;
  private PulsarAdmin admin;

  PulsarClients(Supplier<String> serviceUrl, Supplier<String> adminUrl) {
    this(serviceUrl, adminUrl, null);
  }

  /**
   * @param token authenticates both clients with this token, or null for none
   */
  PulsarClients(Supplier<String> serviceUrl, Supplier<String> adminUrl, String token) {
    this.serviceUrl = serviceUrl;
    this.adminUrl = adminUrl;
    this.token = token;
  }

  synchronized PulsarClient client() {
    if (client == null) {
      try {
        ClientBuilder builder = PulsarClient.builder().serviceUrl(serviceUrl.get());
        if (token != null) {
          builder.authentication(AuthenticationFactory.token(token));
        }
        client = builder.build();
      } catch (PulsarClientException e) {
        throw new IllegalStateException("Could not create a client for " + serviceUrl.get(), e);
      }
    }
    return client;
  }

  synchronized PulsarAdmin admin() {
    if (admin == null) {
      try {
        PulsarAdminBuilder builder = PulsarAdmin.builder().serviceHttpUrl(adminUrl.get());
        if (token != null) {
          builder.authentication(AuthenticationFactory.token(token));
        }
        admin = builder.build();
      } catch (PulsarClientException e) {
        throw new IllegalStateException(
            "Could not create an admin client for " + adminUrl.get(), e);
      }
    }
    return admin;
  }

  synchronized void close() {
    if (client != null) {
      try {
        client.close();
      } catch (PulsarClientException e) {
        log.warn("Closing the test client failed", e);
      }
      client = null;
    }
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }
}

package io.pulsarrpc.testkit;

import java.util.function.Supplier;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client and admin a broker fixture shares: created on first use, closed with the fixture. */
final class PulsarClients {

  private static final Logger log = LoggerFactory.getLogger(PulsarClients.class);

  private final Supplier<String> serviceUrl;
  private final Supplier<String> adminUrl;
  private PulsarClient client;
  private PulsarAdmin admin;

  PulsarClients(Supplier<String> serviceUrl, Supplier<String> adminUrl) {
    this.serviceUrl = serviceUrl;
    this.adminUrl = adminUrl;
  }

  synchronized PulsarClient client() {
    if (client == null) {
      try {
        client = PulsarClient.builder().serviceUrl(serviceUrl.get()).build();
      } catch (PulsarClientException e) {
        throw new IllegalStateException("Could not create a client for " + serviceUrl.get(), e);
      }
    }
    return client;
  }

  synchronized PulsarAdmin admin() {
    if (admin == null) {
      try {
        admin = PulsarAdmin.builder().serviceHttpUrl(adminUrl.get()).build();
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

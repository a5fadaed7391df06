package io.pulsarrpc.testkit;

import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;

/** A broker someone else runs, named by environment variables. Cannot be stopped or killed. */
final class ExternalPulsarBroker implements PulsarTestBroker {

  private final String serviceUrl;
  private final String adminUrl;
  private final PulsarClients clients;

  ExternalPulsarBroker(String serviceUrl, String adminUrl) {
    this.serviceUrl = serviceUrl;
    this.adminUrl = adminUrl == null || adminUrl.isBlank() ? null : adminUrl;
    this.clients = new PulsarClients(this::serviceUrl, this::adminUrl);
  }

  @Override
  public String serviceUrl() {
    return serviceUrl;
  }

  @Override
  public String adminUrl() {
    if (adminUrl == null) {
      throw new IllegalStateException(
          SERVICE_URL_VARIABLE
              + " is set but "
              + ADMIN_URL_VARIABLE
              + " is not: set it to the broker's HTTP admin URL, e.g. http://localhost:8080");
    }
    return adminUrl;
  }

  @Override
  public PulsarClient client() {
    return clients.client();
  }

  @Override
  public PulsarAdmin admin() {
    return clients.admin();
  }

  @Override
  public boolean isEmbedded() {
    return false;
  }

  @Override
  public void stop() {
    throw unsupported("stop");
  }

  @Override
  public void start() {
    throw unsupported("start");
  }

  @Override
  public void kill() {
    throw unsupported("kill");
  }

  @Override
  public void close() {
    clients.close();
  }

  @Override
  public String toString() {
    return "external Pulsar broker at " + serviceUrl;
  }

  private UnsupportedOperationException unsupported(String operation) {
    return new UnsupportedOperationException(
        "Cannot "
            + operation
            + " the external broker at "
            + serviceUrl
            + "; tests that stop or crash a broker need an EmbeddedPulsarBroker of their own");
  }
}

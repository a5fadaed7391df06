package io.pulsarrpc.bus.pulsar;

import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.TrustedCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.impl.PulsarClientImpl;
import org.apache.pulsar.client.impl.conf.ClientConfigurationData;

/**
 * Finds out why a Pulsar client on a {@code pulsar+ssl://} URL could not reach its broker. The
 * Pulsar client logs a failed TLS handshake and retries until its operation timeout, then fails the
 * producer or consumer with "Connection already closed" or a timeout, without the reason. When a
 * creation fails, this makes one TLS handshake with the broker as the client is configured (its
 * {@code tlsTrustCertsFilePath}, or the JVM's trust store) and, if that fails, fails the creation
 * with an exception whose cause is the handshake's, so that the error says the certificate is not
 * trusted. Only a client configured with a PEM trust file or no trust setting is checked (not a key
 * store, not one that allows insecure connections). Thread-safe.
 */
final class TlsHandshakeCheck {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ThreadFactory THREADS = new DaemonThreadFactory("pulsar-rpc-tls-check");

  private final URI broker;
  private final Path trustCertsFile;

  private TlsHandshakeCheck(URI broker, Path trustCertsFile) {
    this.broker = broker;
    this.trustCertsFile = trustCertsFile;
  }

  /** The check for {@code client}, when it connects with TLS in a way this can check. */
  static Optional<TlsHandshakeCheck> of(PulsarClient client) {
    if (!(client instanceof PulsarClientImpl impl)) {
      return Optional.empty();
    }
    ClientConfigurationData conf = impl.getConfiguration();
    String serviceUrl = conf.getServiceUrl();
    if (serviceUrl == null
        || !serviceUrl.startsWith("pulsar+ssl://")
        || conf.isUseKeyStoreTls()
        || conf.isTlsAllowInsecureConnection()) {
      return Optional.empty();
    }
    try {
      // The first broker of the URL: "pulsar+ssl://host1:6651,host2:6651/".
      URI first = URI.create(serviceUrl.split(",")[0]);
      if (first.getHost() == null) {
        return Optional.empty();
      }
      String trust = conf.getTlsTrustCertsFilePath();
      return Optional.of(
          new TlsHandshakeCheck(first, trust == null || trust.isBlank() ? null : Path.of(trust)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * A future failed with {@code failure} itself when a TLS handshake with the broker succeeds;
   * otherwise with a {@link PulsarClientException} of {@code failure}'s message whose cause is the
   * handshake's failure. The handshake runs on a thread of its own, bounded by a 5 s timeout; for
   * {@code exceptionallyCompose}.
   */
  <R> CompletableFuture<R> explain(Throwable failure) {
    CompletableFuture<R> explained = new CompletableFuture<>();
    THREADS
        .newThread(
            () -> {
              Optional<SSLException> handshake = handshakeFailure();
              if (handshake.isEmpty()) {
                explained.completeExceptionally(failure);
                return;
              }
              Throwable cause = Failures.unwrapped(failure);
              PulsarClientException wrapped =
                  new PulsarClientException(cause.getMessage(), handshake.get());
              wrapped.addSuppressed(cause);
              explained.completeExceptionally(wrapped);
            })
        .start();
    return explained;
  }

  private Optional<SSLException> handshakeFailure() {
    try {
      SSLContext context =
          trustCertsFile == null
              ? SSLContext.getDefault()
              : TrustedCertificates.sslContext(trustCertsFile);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        int millis = Math.toIntExact(TIMEOUT.toMillis());
        socket.connect(
            new InetSocketAddress(broker.getHost(), broker.getPort() < 0 ? 6651 : broker.getPort()),
            millis);
        socket.setSoTimeout(millis);
        socket.startHandshake();
        return Optional.empty();
      }
    } catch (SSLException e) {
      return Optional.of(e);
    } catch (IOException | NoSuchAlgorithmException | IllegalArgumentException e) {
      // Not a TLS failure (refused, unreachable, unreadable trust file): nothing to add.
      return Optional.empty();
    }
  }
}

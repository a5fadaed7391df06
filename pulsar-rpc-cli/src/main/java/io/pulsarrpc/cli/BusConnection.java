package io.pulsarrpc.cli;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.bus.redis.RedisMessageBus;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.ServerDirectory;
import io.pulsarrpc.client.ServerDirectoryBuilder;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * One command's connection to its bus and what it opened on it (a client, a subscriber), closed
 * together in reverse order. Every failure to connect, authenticate or set up becomes a {@link
 * CliException} with {@link PulsarRpcCli#EXIT_CONNECTION} that names the bus and URL.
 */
final class BusConnection implements AutoCloseable {

  private final ConnectionSettings settings;
  private final MessageBus bus;
  private final Deque<AutoCloseable> opened;

  private BusConnection(ConnectionSettings settings, MessageBus bus, Deque<AutoCloseable> opened) {
    this.settings = settings;
    this.bus = bus;
    this.opened = opened;
  }

  static BusConnection open(ConnectionSettings settings) {
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    try {
      MessageBus bus =
          switch (settings.bus()) {
            case PULSAR -> pulsar(settings, opened);
            case REDIS -> redis(settings, opened);
            case NATS -> nats(settings, opened);
          };
      opened.push(bus);
      return new BusConnection(settings, bus, opened);
    } catch (CliException e) {
      closeAll(opened);
      throw e;
    } catch (RuntimeException | IOException | GeneralSecurityException e) {
      closeAll(opened);
      throw unreachable(settings, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAll(opened);
      throw unreachable(settings, e);
    }
  }

  private static MessageBus pulsar(ConnectionSettings settings, Deque<AutoCloseable> opened)
      throws IOException {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
    ClientBuilder builder =
        PulsarClient.builder()
            .serviceUrl(settings.url())
            .connectionTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
            .operationTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
            .lookupTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    if (settings.hasToken()) {
      builder.authentication(AuthenticationFactory.token(settings.token()));
    }
    if (settings.tlsTrustCerts() != null) {
      builder.tlsTrustCertsFilePath(readable(settings).toString());
    }
    builder.allowTlsInsecureConnection(settings.tlsAllowInsecure());
    PulsarClient client = builder.build();
    // Not waited for: after a failed connect, closing waits out the client's pending lookups,
    // which would add seconds to a command whose outcome is known.
    opened.push(client::closeAsync);
    return PulsarMessageBus.create(client);
  }

  private static MessageBus redis(ConnectionSettings settings, Deque<AutoCloseable> opened) {
    if (!settings.hasToken() && settings.tlsTrustCerts() == null && !settings.tlsAllowInsecure()) {
      return RedisMessageBus.create(settings.url());
    }
    RedisURI.Builder uri = RedisURI.builder(RedisURI.create(settings.url()));
    if (settings.hasToken()) {
      uri.withPassword(settings.token().toCharArray());
    }
    if (settings.tlsAllowInsecure()) {
      uri.withVerifyPeer(SslVerifyMode.NONE);
    }
    RedisClient client = RedisClient.create(uri.build());
    ClientOptions.Builder options =
        ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled());
    if (settings.tlsTrustCerts() != null) {
      options.sslOptions(
          SslOptions.builder().jdkSslProvider().trustManager(readable(settings).toFile()).build());
    }
    client.setOptions(options.build());
    opened.push(client::shutdown);
    return RedisMessageBus.create(client);
  }

  private static MessageBus nats(ConnectionSettings settings, Deque<AutoCloseable> opened)
      throws IOException, InterruptedException, GeneralSecurityException {
    if (!settings.hasToken() && settings.tlsTrustCerts() == null && !settings.tlsAllowInsecure()) {
      return NatsMessageBus.create(settings.url());
    }
    Options.Builder options =
        Options.builder().server(settings.url()).connectionTimeout(settings.connectTimeout());
    if (settings.hasToken()) {
      options.token(settings.token().toCharArray());
    }
    if (settings.tlsTrustCerts() != null) {
      options.sslContext(trusting(settings));
    } else if (settings.tlsAllowInsecure()) {
      options.opentls();
    }
    Connection connection = Nats.connect(options.build());
    opened.push(connection);
    return NatsMessageBus.create(connection);
  }

  private static java.nio.file.Path readable(ConnectionSettings settings) {
    if (!Files.isReadable(settings.tlsTrustCerts())) {
      throw CliException.usage(
          "--tls-trust-certs: cannot read " + settings.tlsTrustCerts().toAbsolutePath());
    }
    return settings.tlsTrustCerts();
  }

  private static SSLContext trusting(ConnectionSettings settings)
      throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream pem = Files.newInputStream(readable(settings))) {
      int index = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
        trusted.setCertificateEntry("ca-" + index++, certificate);
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /**
   * A client of {@code requestTopic} that sends and receives raw bytes, replies arriving on a topic
   * of its own beside the request topic, as generated clients name theirs.
   */
  PulsarRpcClient<byte[], byte[]> client(String requestTopic, Duration replyTimeout) {
    String clientId = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      PulsarRpcClient<byte[], byte[]> client =
          PulsarRpcClient.builder(Schema.BYTES, Schema.BYTES)
              .requestTopic(requestTopic)
              .replyTopic(requestTopic + ".reply." + clientId)
              .replySubscription(clientId)
              .replyTimeout(replyTimeout)
              .build(bus);
      opened.push(client);
      return client;
    } catch (PulsarRpcClientException | RuntimeException e) {
      throw unreachable(settings, e);
    }
  }

  /** A subscriber of {@code updateTopic}'s raw updates. */
  PulsarRpcSubscriber<byte[]> subscriber(String updateTopic) {
    try {
      PulsarRpcSubscriber<byte[]> subscriber =
          PulsarRpcSubscriber.builder(Schema.BYTES).updateTopic(updateTopic).build(bus);
      opened.push(subscriber);
      return subscriber;
    } catch (RuntimeException e) {
      throw unreachable(settings, e);
    }
  }

  /** A directory of the servers that answer on {@code controlTopic} with {@code controlToken}. */
  ServerDirectory directory(String controlTopic, String controlToken) {
    ServerDirectoryBuilder builder;
    try {
      builder = ServerDirectory.builder().controlToken(controlToken).controlTopic(controlTopic);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    try {
      ServerDirectory directory = builder.build(bus);
      opened.push(directory);
      return directory;
    } catch (PulsarRpcClientException | RuntimeException e) {
      throw unreachable(settings, e);
    }
  }

  /** The failure to reach this connection's bus, as the command line reports it. */
  CliException unreachable(Throwable cause) {
    return unreachable(settings, cause);
  }

  private static CliException unreachable(ConnectionSettings settings, Throwable cause) {
    // The bus's own words for an untrusted certificate are a path-building failure deep in the
    // causes; the user needs to hear which option fixes it.
    String reason =
        io.pulsarrpc.bus.support.Failures.certificateNotTrusted(cause)
            ? "the server's certificate is not trusted; give --tls-trust-certs with the PEM file"
                + " of the certificate authority that signed it"
            : Failures.rootMessage(cause);
    return new CliException(
        PulsarRpcCli.EXIT_CONNECTION,
        "cannot use the "
            + settings.bus().displayName()
            + " bus at "
            + settings.url()
            + ": "
            + reason,
        cause);
  }

  @Override
  public void close() {
    closeAll(opened);
  }

  private static void closeAll(Deque<AutoCloseable> opened) {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        // Closing after the command's outcome is known: a failure here changes nothing for it.
      }
    }
  }
}

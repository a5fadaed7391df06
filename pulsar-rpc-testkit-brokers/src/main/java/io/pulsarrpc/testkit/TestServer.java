package io.pulsarrpc.testkit;

import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * A server for tests that is either external (named by an environment variable) or run by the
 * testkit from a program installed on the machine, which can then be stopped, crashed and restarted
 * on the same port and data.
 *
 * <p>Thread-safe. {@link #close()} stops a server the testkit started and deletes its directory; it
 * leaves an external server alone.
 */
public abstract sealed class TestServer implements AutoCloseable
    permits RedisTestServer, NatsTestServer {

  private final String kind;
  private final String urlVariable;
  private final int defaultPort;
  private final String url;
  private final LocalServer local;
  private final TestCertificates certificates;

  TestServer(String kind, String urlVariable, int defaultPort, String url, LocalServer local) {
    this.kind = kind;
    this.urlVariable = urlVariable;
    this.defaultPort = defaultPort;
    this.url = url;
    this.local = local;
    this.certificates = local == null ? null : local.certificates();
  }

  /**
   * The server's URL, e.g. {@code redis://127.0.0.1:40123}, or for a server started with TLS {@code
   * rediss://127.0.0.1:40123} or {@code tls://127.0.0.1:40124}.
   */
  public String url() {
    return url;
  }

  /** The server's host name. */
  public String host() {
    return URI.create(url).getHost();
  }

  /** The server's port, or the protocol's default port when the URL names none. */
  public int port() {
    int port = URI.create(url).getPort();
    return port < 0 ? defaultPort : port;
  }

  /**
   * The PEM file of the certificate authority that signed this server's TLS certificate, which a
   * client trusts to connect to {@link #url()}; in the server's {@link #directory()}.
   *
   * @throws IllegalStateException unless the server was started with TLS
   */
  public Path tlsTrustCertsFile() {
    if (certificates == null) {
      throw new IllegalStateException(
          "the " + kind + " at " + url + " was not started with TLS: use startLocalWithTls()");
    }
    return certificates.caFile();
  }

  /**
   * A client {@link SSLContext} that trusts only the authority of {@link #tlsTrustCertsFile()}, for
   * clients configured with one rather than a file (jnats's {@code Options.Builder.sslContext}).
   *
   * @throws IllegalStateException unless the server was started with TLS
   */
  public SSLContext tlsSslContext() {
    tlsTrustCertsFile();
    return certificates.trustingSslContext();
  }

  /**
   * Whether the testkit runs this server, so that {@link #stop()}, {@link #start()} and {@link
   * #kill()} work.
   */
  public boolean isEmbedded() {
    return local != null;
  }

  /**
   * Stops the server gracefully, keeping its data.
   *
   * @throws UnsupportedOperationException for an external server
   */
  public void stop() {
    local("stop").stop();
  }

  /**
   * Starts the server again on the same port and data; returns when it serves clients.
   *
   * @throws UnsupportedOperationException for an external server
   * @throws IllegalStateException when it does not come up; the message holds the tail of its log
   */
  public void start() {
    local("start").start();
  }

  /**
   * Kills the server with SIGKILL, as a crash or {@code kill -9} would.
   *
   * @throws UnsupportedOperationException for an external server
   */
  public void kill() {
    local("kill").kill();
  }

  /**
   * The server's directory, holding its data and {@code server.log}.
   *
   * @throws UnsupportedOperationException for an external server
   */
  public Path directory() {
    return local("locate the directory of").directory();
  }

  @Override
  public void close() {
    if (local != null) {
      local.close();
    }
  }

  @Override
  public String toString() {
    return (local == null ? "external " : "local ") + kind + " at " + url;
  }

  private LocalServer local(String operation) {
    if (local == null) {
      throw new UnsupportedOperationException(
          "Cannot "
              + operation
              + " the external "
              + kind
              + " at "
              + url
              + " (from "
              + urlVariable
              + "); unset it to let the testkit run its own server");
    }
    return local;
  }
}

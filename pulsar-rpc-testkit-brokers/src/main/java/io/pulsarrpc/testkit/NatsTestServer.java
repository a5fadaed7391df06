package io.pulsarrpc.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A NATS server with JetStream for tests: the one named by {@code NATS_URL} when that is set,
 * otherwise a {@code nats-server -js} from the machine, started on a free loopback port with its
 * JetStream store in a temporary directory, so that a {@linkplain #kill() crash} and {@linkplain
 * #start() restart} keep streams and consumers.
 *
 * <p>Thread-safe. {@link #close()} stops a server the testkit started and deletes its directory.
 */
public final class NatsTestServer extends TestServer {

  /** Environment variable naming an external server, e.g. {@code nats://localhost:4222}. */
  public static final String URL_VARIABLE = "NATS_URL";

  static final String INSTALL_HINT =
      "Install NATS (Debian/Ubuntu: apt-get install nats-server) or set "
          + URL_VARIABLE
          + " to a server you run with JetStream enabled.";

  private NatsTestServer(String url, LocalServer local) {
    super("NATS", URL_VARIABLE, 4222, url, local);
  }

  /**
   * The server named by {@code NATS_URL} when set, otherwise a local {@code nats-server -js},
   * started.
   *
   * @throws IllegalStateException when {@code nats-server} is not installed (the message says how
   *     to install it) or does not come up (the message holds the tail of its log)
   */
  public static NatsTestServer startFromEnvironment() {
    String external = System.getenv(URL_VARIABLE);
    if (external != null && !external.isBlank()) {
      return new NatsTestServer(external, null);
    }
    return startLocal();
  }

  /**
   * A local {@code nats-server -js} on a free loopback port, started.
   *
   * @throws IllegalStateException as {@link #startFromEnvironment()}
   */
  public static NatsTestServer startLocal() {
    LocalServer server =
        LocalServer.start(
            "nats-server",
            "nats-server",
            INSTALL_HINT,
            NatsTestServer::commandLine,
            NatsTestServer::announcesJetStream);
    return new NatsTestServer("nats://127.0.0.1:" + server.port(), server);
  }

  /**
   * A local {@code nats-server -js} that requires TLS, on a free loopback port, with a certificate
   * for {@code localhost} and {@code 127.0.0.1} made for it ({@link TestCertificates}), started.
   * Its {@link #url()} is {@code tls://127.0.0.1:<port>}; clients trust {@link
   * #tlsTrustCertsFile()} and need no certificate of their own.
   *
   * @throws IllegalStateException as {@link #startFromEnvironment()}
   */
  public static NatsTestServer startLocalWithTls() {
    LocalServer server =
        LocalServer.startWithTls(
            "nats-server",
            "nats-server",
            INSTALL_HINT,
            NatsTestServer::tlsCommandLine,
            // The server sends its INFO line in clear before the client starts TLS.
            (port, certificates) -> announcesJetStream(port));
    return new NatsTestServer("tls://127.0.0.1:" + server.port(), server);
  }

  private static List<String> tlsCommandLine(
      Path program, int port, Path directory, TestCertificates certificates) {
    List<String> command = new ArrayList<>(commandLine(program, port, directory));
    command.addAll(
        List.of(
            "--tls",
            "--tlscert",
            certificates.certificateFile().toString(),
            "--tlskey",
            certificates.keyFile().toString()));
    return command;
  }

  private static List<String> commandLine(Path program, int port, Path directory) {
    return List.of(
        program.toString(),
        "-js",
        "-a",
        "127.0.0.1",
        "-p",
        Integer.toString(port),
        "-sd",
        directory.resolve("jetstream").toString());
  }

  private static boolean announcesJetStream(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(1000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String info = in.readLine();
      return info != null && info.startsWith("INFO ") && info.contains("\"jetstream\":true");
    } catch (IOException e) {
      return false;
    }
  }
}

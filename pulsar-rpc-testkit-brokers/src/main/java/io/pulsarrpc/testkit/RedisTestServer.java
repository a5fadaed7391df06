package io.pulsarrpc.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis server for tests: the one named by {@code REDIS_URL} when that is set, otherwise a {@code
 * redis-server} from the machine, started on a free loopback port with append-only persistence in a
 * temporary directory, so that a {@linkplain #kill() crash} and {@linkplain #start() restart} keep
 * the data.
 *
 * <p>Thread-safe. {@link #close()} stops a server the testkit started and deletes its directory.
 */
public final class RedisTestServer extends TestServer {

  /** Environment variable naming an external server, e.g. {@code redis://localhost:6379}. */
  public static final String URL_VARIABLE = "REDIS_URL";

  static final String INSTALL_HINT =
      "Install Redis (Debian/Ubuntu: apt-get install redis-server) or set "
          + URL_VARIABLE
          + " to a server you run.";

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private RedisTestServer(String url, LocalServer local) {
    super("Redis", URL_VARIABLE, 6379, url, local);
  }

  /**
   * The server named by {@code REDIS_URL} when set, otherwise a local {@code redis-server},
   * started.
   *
   * @throws IllegalStateException when {@code redis-server} is not installed (the message says how
   *     to install it) or does not come up (the message holds the tail of its log)
   */
  public static RedisTestServer startFromEnvironment() {
    String external = System.getenv(URL_VARIABLE);
    if (external != null && !external.isBlank()) {
      return new RedisTestServer(external, null);
    }
    return startLocal();
  }

  /**
   * A local {@code redis-server} on a free loopback port, started.
   *
   * @throws IllegalStateException as {@link #startFromEnvironment()}
   */
  public static RedisTestServer startLocal() {
    LocalServer server =
        LocalServer.start(
            "redis-server",
            "redis-server",
            INSTALL_HINT,
            RedisTestServer::commandLine,
            RedisTestServer::answersPing);
    return new RedisTestServer("redis://127.0.0.1:" + server.port(), server);
  }

  /**
   * A local {@code redis-server} that serves only TLS, on a free loopback port, with a certificate
   * for {@code localhost} and {@code 127.0.0.1} made for it ({@link TestCertificates}), started.
   * Its {@link #url()} is {@code rediss://127.0.0.1:<port>}; clients trust {@link
   * #tlsTrustCertsFile()} and need no certificate of their own. Needs a {@code redis-server} built
   * with TLS (Debian's and Ubuntu's are).
   *
   * @throws IllegalStateException as {@link #startFromEnvironment()}
   */
  public static RedisTestServer startLocalWithTls() {
    LocalServer server =
        LocalServer.startWithTls(
            "redis-server",
            "redis-server",
            INSTALL_HINT,
            RedisTestServer::tlsCommandLine,
            (port, certificates) -> answersPing(() -> certificates.connect(port, PROBE_TIMEOUT)));
    return new RedisTestServer("rediss://127.0.0.1:" + server.port(), server);
  }

  private static List<String> tlsCommandLine(
      Path program, int port, Path directory, TestCertificates certificates) {
    return commandLine(
        program,
        directory,
        List.of(
            "--port",
            "0",
            "--tls-port",
            Integer.toString(port),
            "--tls-cert-file",
            certificates.certificateFile().toString(),
            "--tls-key-file",
            certificates.keyFile().toString(),
            "--tls-ca-cert-file",
            certificates.caFile().toString(),
            "--tls-auth-clients",
            "no"));
  }

  private static List<String> commandLine(Path program, int port, Path directory) {
    return commandLine(program, directory, List.of("--port", Integer.toString(port)));
  }

  private static List<String> commandLine(Path program, Path directory, List<String> ports) {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(ports);
    command.addAll(
        List.of(
            "--bind",
            "127.0.0.1",
            "--dir",
            directory.toString(),
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            ""));
    return command;
  }

  /** Opens a connection to the server. */
  private interface Connector {
    Socket connect() throws IOException;
  }

  private static boolean answersPing(int port) {
    return answersPing(
        () -> {
          Socket socket = new Socket();
          socket.connect(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
              Math.toIntExact(PROBE_TIMEOUT.toMillis()));
          socket.setSoTimeout(Math.toIntExact(PROBE_TIMEOUT.toMillis()));
          return socket;
        });
  }

  private static boolean answersPing(Connector connector) {
    try (Socket socket = connector.connect()) {
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      // While loading its append-only file after a restart, Redis answers -LOADING instead.
      return "+PONG".equals(in.readLine());
    } catch (IOException e) {
      return false;
    }
  }
}

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

  private static List<String> commandLine(Path program, int port, Path directory) {
    return List.of(
        program.toString(),
        "--port",
        Integer.toString(port),
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
        "");
  }

  private static boolean answersPing(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(1000);
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

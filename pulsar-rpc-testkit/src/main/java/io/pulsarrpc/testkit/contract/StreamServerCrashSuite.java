package io.pulsarrpc.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.client.PulsarRpcStreamClient;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.server.PulsarRpcStreamServer;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.testkit.internal.ManagedProcess;
import io.pulsarrpc.testkit.internal.ParentWatchdog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

/**
 * The liveness of a stream whose server process dies, written once and run against every bus that
 * crosses processes: a stream server runs in a JVM of its own on the bus, a client in the test's
 * JVM opens a stream to it and holds it in use (messages echoed, a message sent that the server's
 * application has not taken, a receive waiting), then the server's JVM is killed ({@code kill -9},
 * {@link Process#destroyForcibly()}). The client's stream must fail with {@link
 * ErrorCode#UNAVAILABLE} within three heartbeat intervals of the kill (the rule: two and a half
 * intervals without a word from the peer), its pending send and receive with it, and the client
 * must let go of the stream.
 *
 * <p>The in-memory bus does not run this suite: it lives inside one JVM, so no peer on it can be in
 * another process to die.
 *
 * <p>A subclass gives the bus's address and a {@link BusFactory}, which makes the bus of both
 * sides: the server's JVM gets the factory's class name and the address as arguments, and the
 * test's JVM uses the same factory for the client's bus (override {@link #newBus()} to use
 * another).
 */
public abstract class StreamServerCrashSuite extends BusSuite {

  /**
   * The heartbeat interval of both sides. Long enough that a loaded machine's scheduling delays
   * stay well inside the half interval of slack the rule leaves; short enough for a test of a few
   * seconds.
   */
  public static final Duration HEARTBEAT = Duration.ofSeconds(2);

  private static final Duration PATIENCE = Duration.ofMinutes(1);
  private static final Duration SERVER_START_LIMIT = Duration.ofMinutes(2);
  // A whole line of the log, which other output (the bus client's logging) cannot be.
  private static final String READY = "stream server ready";
  private static final String HOLD = "hold";
  private static final String HOLDING = "holding";

  /**
   * Makes a bus from an address: a Pulsar service URL, a Redis URL, a NATS URL (the factory decides
   * the mode). The server's JVM makes the factory by its class name, so an implementation is a
   * public class with a public no-argument constructor, not a lambda.
   */
  public interface BusFactory {

    /** A new bus at {@code address}; closing it releases what it made. */
    MessageBus create(String address);
  }

  private final String address;
  private final BusFactory busFactory;

  /**
   * @param address where the bus's server listens, in the form {@code busFactory} takes
   * @param busFactory makes the bus of both sides
   * @throws IllegalArgumentException when the factory cannot be made by name in another JVM
   */
  protected StreamServerCrashSuite(String address, BusFactory busFactory) {
    Class<?> type = busFactory.getClass();
    if (type.isSynthetic() || type.isHidden() || type.isAnonymousClass()) {
      throw new IllegalArgumentException(
          "busFactory must be a named public class with a public no-argument constructor, got "
              + type.getName());
    }
    this.address = address;
    this.busFactory = busFactory;
  }

  /** The client's bus: {@code busFactory.create(address)}. */
  @Override
  protected MessageBus newBus() {
    return busFactory.create(address);
  }

  @Test
  public void streamInUseWhenItsServerIsKilledFailsWithUnavailableWithinThreeHeartbeatIntervals()
      throws Exception {
    String requestTopic = newTopic("stream-crash");
    ManagedProcess server = startServer(requestTopic);
    PulsarRpcStreamClient<String, String> client =
        track(
            PulsarRpcStreamClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic(requestTopic)
                .heartbeatInterval(HEARTBEAT)
                .openTimeout(PATIENCE)
                .build(bus()));
    RpcStream<String, String> stream = client.open();
    for (int i = 0; i < 10; i++) {
      stream.send("m" + i);
      assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo("echo m" + i);
    }
    stream.send(HOLD);
    assertThat(stream.receiveAsync()).succeedsWithin(PATIENCE).isEqualTo(HOLDING);
    // The server's application takes no more messages and sends none: both stay pending.
    CompletableFuture<Void> pendingSend = stream.sendAsync("never taken");
    CompletableFuture<String> pendingReceive = stream.receiveAsync();

    long killedAt = System.nanoTime();
    server.kill();
    StreamClosedException cause =
        stream.whenClosed().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    Duration detected = Duration.ofNanos(System.nanoTime() - killedAt);

    System.out.printf(
        "%s: stream server killed, the client's stream failed %d ms later (heartbeat %d ms): %s%n",
        getClass().getSimpleName(), detected.toMillis(), HEARTBEAT.toMillis(), cause.getMessage());
    assertThat(cause.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(cause.closedByPeer()).isFalse();
    assertThat(detected).isLessThan(HEARTBEAT.multipliedBy(3));
    assertThat(pendingSend)
        .failsWithin(PATIENCE)
        .withThrowableOfType(Exception.class)
        .havingCause()
        .isSameAs(cause);
    assertThat(pendingReceive)
        .failsWithin(PATIENCE)
        .withThrowableOfType(Exception.class)
        .havingCause()
        .isSameAs(cause);
    await().atMost(PATIENCE).until(() -> client.openStreams() == 0);
  }

  /** Starts the echo server's JVM; returns once it serves the topic. */
  private ManagedProcess startServer(String requestTopic) throws IOException {
    Path log = Files.createTempFile("stream-server-", ".log");
    List<String> command =
        List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            EchoServerMain.class.getName(),
            busFactory.getClass().getName(),
            address,
            requestTopic);
    ManagedProcess server = new ManagedProcess("Stream server", command, log.getParent(), log);
    track(
        () -> {
          server.kill();
          Files.deleteIfExists(log);
        });
    server.start(SERVER_START_LIMIT, () -> lines(log).contains(READY));
    return server;
  }

  private static List<String> lines(Path file) {
    try {
      // Latin-1 reads any bytes: a line of the bus client's output cannot make the check fail.
      return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The server's JVM: a stream server on the bus that echoes each message ("echo " + it) until it
   * receives {@value #HOLD}, which it answers with {@value #HOLDING} before it stops taking
   * messages and stays silent but for heartbeats. Prints {@value #READY} once it serves. Public so
   * that a JVM can start it; not API.
   */
  public static final class EchoServerMain {

    private EchoServerMain() {}

    /**
     * @param args the {@link BusFactory}'s class name, the bus's address, the request topic
     * @throws Exception when the bus or the server cannot be made
     */
    public static void main(String[] args) throws Exception {
      ParentWatchdog.start("the stream server");
      BusFactory factory =
          Class.forName(args[0])
              .asSubclass(BusFactory.class)
              .getDeclaredConstructor()
              .newInstance();
      PulsarRpcStreamServer.builder(Schema.STRING, Schema.STRING)
          .requestTopic(args[2])
          .subscription("echo")
          .heartbeatInterval(HEARTBEAT)
          .handler(
              stream -> {
                for (String message = stream.receive();
                    !message.equals(HOLD);
                    message = stream.receive()) {
                  stream.send("echo " + message);
                }
                stream.send(HOLDING);
                stream.whenClosed().join();
              })
          .build(factory.create(args[1]));
      System.out.println(READY);
      System.out.flush();
      Thread.currentThread().join();
    }
  }
}

package io.pulsarrpc.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds loopback ports that nothing listens on, for the servers that fixtures start.
 *
 * <p>A port is picked at random below the kernel's ephemeral range ({@code
 * /proc/sys/net/ipv4/ip_local_port_range}, from {@value #LOWEST}), and checked by binding it. Ports
 * of the ephemeral range would be handed out again by the kernel: to the outgoing connections of
 * every process on the machine, and to any other build asking for a free port the same way, so that
 * between the pick and the server's bind, or while a fixture restarts its server, another process
 * could hold the port. Below that range only another process picking at random can collide, and
 * {@link FirstStart} starts a server again on fresh ports when that happens. Where the range cannot
 * be read, or leaves no room below it, the kernel picks. A port is never handed out twice by one
 * JVM. Thread-safe.
 */
final class FreePorts {

  /** The lowest port picked: above the ports services commonly use. */
  static final int LOWEST = 10_000;

  private static final int LEAST_ROOM = 1_000;
  private static final int MOST_TRIES = 100;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /**
   * A port that was free a moment ago. Another process could take it before the server binds it;
   * fixtures keep the port for the server's whole life so that restarts reuse it.
   */
  static int next() {
    int end = ephemeralRangeStart();
    if (end - LOWEST >= LEAST_ROOM) {
      for (int i = 0; i < MOST_TRIES; i++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
        if (isFree(port) && HANDED_OUT.add(port)) {
          return port;
        }
      }
    }
    return pickedByTheKernel();
  }

  /** The first port of the kernel's ephemeral range; {@value #LOWEST} when unknown. */
  static int ephemeralRangeStart() {
    // Read a line: a file of /proc has no size, and reading it whole can return part of it.
    try (BufferedReader range =
        Files.newBufferedReader(EPHEMERAL_RANGE, StandardCharsets.US_ASCII)) {
      return Integer.parseInt(range.readLine().trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return LOWEST;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int pickedByTheKernel() {
    for (int i = 0; i < MOST_TRIES; i++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("No free loopback port", e);
      }
    }
    throw new IllegalStateException("No loopback port that this JVM did not hand out already");
  }
}

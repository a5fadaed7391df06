package io.pulsarrpc.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds loopback ports that nothing listens on. */
final class FreePorts {

  private FreePorts() {}

  /**
   * A port that was free a moment ago. Another process could take it before the server binds it;
   * fixtures keep the port for the server's whole life so that restarts reuse it.
   */
  static int next() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port", e);
    }
  }
}

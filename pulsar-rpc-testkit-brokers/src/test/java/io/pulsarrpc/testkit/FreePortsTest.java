package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void portsAreFreeDistinctAndBelowTheEphemeralRange() throws Exception {
    assumeTrue(
        Files.isReadable(Path.of("/proc/sys/net/ipv4/ip_local_port_range")),
        "the kernel says where its ephemeral range starts");
    int ephemeralStart = FreePorts.ephemeralRangeStart();
    assertThat(ephemeralStart).as("read from the kernel").isGreaterThan(FreePorts.LOWEST + 1_000);
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = FreePorts.next();
      assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
      assertThat(port).isBetween(FreePorts.LOWEST, ephemeralStart - 1);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      }
    }
  }
}

package io.pulsarrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shell, driven by a scripted terminal: keys in, the screen's text out. */
@ExtendWith(TestBrokersExtension.class)
class ShellIT {

  private static final String TAB = "\t";
  private static final String UP = "\033[A";

  /** Runs the shell on {@code keys} and returns what the terminal showed. */
  private static String runShell(String keys, Path history, Path proto, String... options)
      throws Exception {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    InputStream typed = new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8));
    try (Terminal terminal =
        new DumbTerminal("test", "ansi", typed, screen, StandardCharsets.UTF_8)) {
      StringWriter unused = new StringWriter();
      CliIo io =
          new CliIo(new PrintWriter(unused), new PrintWriter(unused), typed, Map.of(), false);
      PulsarRpcCli root = new PulsarRpcCli(io);
      PulsarRpcCli.commandLine(root).parseArgs(options);
      int code = new Shell(root, terminal, history, proto).run();
      assertThat(code).isZero();
    }
    return screen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shellRunsCommandsRecallsHistoryAndCompletes(PulsarTestBroker broker, @TempDir Path dir)
      throws Exception {
    MessageBus bus = PulsarMessageBus.create(broker.client());
    String topic = broker.newTopic("cli-shell");
    Path history = dir.resolve("history");
    try (PulsarRpcServer<String, String> server = TestServers.upperCase(bus, topic, "eu")) {
      String screen =
          runShell(
              String.join(
                  "\r",
                  "call " + topic + " hello",
                  UP,
                  "call-a" + TAB + "--help",
                  "call " + topic.substring(0, topic.length() - 4) + TAB + " again",
                  "exit\r"),
              history,
              null,
              "--service-url=" + broker.serviceUrl());
      assertThat(screen.split("eu: HELLO", -1)).as("history recalled the call").hasSize(3);
      assertThat(screen).as("completed the command").contains("Usage: pulsar-rpc call-all");
      assertThat(screen).as("completed the topic").contains("eu: AGAIN");
      assertThat(Files.readString(history)).contains("call " + topic + " hello");
    } finally {
      bus.close();
    }
  }
}

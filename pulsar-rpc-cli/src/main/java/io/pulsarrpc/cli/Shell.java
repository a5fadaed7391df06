package io.pulsarrpc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;

/**
 * The interactive shell: reads lines from a terminal with history and completion ({@link
 * ShellCompleter}) and runs each as a command of {@code pulsar-rpc}, with the connection and output
 * options the shell was started with as defaults. A failing line prints its one-line error and the
 * shell goes on; {@code exit}, {@code quit} or end of input (Ctrl-D) ends it. Runs on the calling
 * thread.
 */
final class Shell {

  static final String DEFAULT_HISTORY_FILE = ".pulsar-rpc_history";
  static final String PROMPT = "pulsar-rpc> ";

  private final PulsarRpcCli root;
  private final Terminal terminal;
  private final Path historyFile;
  private final Path proto;

  Shell(PulsarRpcCli root, Terminal terminal, Path historyFile, Path proto) {
    this.root = root;
    this.terminal = terminal;
    this.historyFile = historyFile;
    this.proto = proto;
  }

  /** {@code --history-file}, else {@code PULSAR_RPC_HISTORY}, else one in the user's home. */
  static Path historyFile(Path option, Map<String, String> env) {
    if (option != null) {
      return option;
    }
    String variable = env.get("PULSAR_RPC_HISTORY");
    if (variable != null && !variable.isBlank()) {
      return Path.of(variable);
    }
    return Path.of(System.getProperty("user.home"), DEFAULT_HISTORY_FILE);
  }

  /** Runs lines until the user ends the shell; returns {@link PulsarRpcCli#EXIT_OK}. */
  int run() throws IOException {
    List<String> methods = proto == null ? List.of() : ProtoCatalog.load(proto).names();
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("pulsar-rpc")
            .completer(
                new ShellCompleter(
                    PulsarRpcCli.commandLine(root).getCommandSpec(), root.seenTopics(), methods))
            .variable(LineReader.HISTORY_FILE, historyFile)
            .build();
    PrintWriter writer = terminal.writer();
    writer.println("pulsar-rpc shell: commands as on the command line; Tab completes; exit ends.");
    writer.flush();
    try {
      while (true) {
        String line;
        try {
          line = reader.readLine(PROMPT);
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          return PulsarRpcCli.EXIT_OK;
        }
        List<String> words = new ArrayList<>(reader.getParsedLine().words());
        words.removeIf(String::isEmpty);
        if (words.isEmpty()) {
          continue;
        }
        if (words.get(0).equals("exit") || words.get(0).equals("quit")) {
          return PulsarRpcCli.EXIT_OK;
        }
        runLine(words, writer);
      }
    } finally {
      reader.getHistory().save();
    }
  }

  private void runLine(List<String> words, PrintWriter writer) {
    if (words.get(0).equals("repl")) {
      writer.println("already in the shell");
      writer.flush();
      return;
    }
    if (proto != null && words.contains("--method") && !words.contains("--proto")) {
      words.add(1, "--proto");
      words.add(2, proto.toString());
    }
    CliIo io =
        new CliIo(
            writer,
            writer,
            InputStream.nullInputStream(),
            root.io().env(),
            root.io().interactive());
    // Ctrl-C stops the running line (a subscription), not the shell.
    Thread lineThread = Thread.currentThread();
    Terminal.SignalHandler previous = terminal.handle(Signal.INT, signal -> lineThread.interrupt());
    int code;
    try {
      code = PulsarRpcCli.execute(root.forShellLine(io), words.toArray(new String[0]));
    } finally {
      terminal.handle(Signal.INT, previous);
      Thread.interrupted();
    }
    if (code != PulsarRpcCli.EXIT_OK) {
      writer.println("(exit code " + code + ")");
    }
    writer.flush();
  }
}

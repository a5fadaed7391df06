package io.pulsarrpc.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code repl}: the interactive {@link Shell} on the process's terminal. */
@Command(
    name = "repl",
    mixinStandardHelpOptions = true,
    description =
        "An interactive shell: the same commands, with history and tab completion of commands,"
            + " options, topics and methods.")
final class ReplCommand implements Callable<Integer> {

  @ParentCommand PulsarRpcCli root;

  @Option(
      names = "--history-file",
      paramLabel = "FILE",
      description =
          "Where the shell keeps its history (env PULSAR_RPC_HISTORY; default ~/"
              + Shell.DEFAULT_HISTORY_FILE
              + ").")
  Path historyFile;

  @Option(
      names = "--proto",
      paramLabel = "DESCRIPTOR_SET",
      description = "Complete its methods after --method, and use it for lines with --method.")
  Path proto;

  @Override
  public Integer call() throws IOException {
    try (Terminal terminal =
        TerminalBuilder.builder().name("pulsar-rpc").system(true).dumb(true).build()) {
      return new Shell(root, terminal, Shell.historyFile(historyFile, root.io().env()), proto)
          .run();
    }
  }
}

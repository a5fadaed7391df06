package io.pulsarrpc.cli;

import java.util.Collection;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Completes a shell line: the command names first, then that command's options (with the inherited
 * connection options), the methods of the shell's descriptor set after {@code --method}, and
 * otherwise the topics used so far. Reads the topics live, so a topic used by one line completes on
 * the next.
 */
final class ShellCompleter implements Completer {

  private final CommandSpec rootSpec;
  private final Collection<String> seenTopics;
  private final List<String> methods;

  ShellCompleter(CommandSpec rootSpec, Collection<String> seenTopics, List<String> methods) {
    this.rootSpec = rootSpec;
    this.seenTopics = seenTopics;
    this.methods = methods;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    if (line.wordIndex() == 0) {
      for (String command : rootSpec.subcommands().keySet()) {
        if (!command.equals("repl")) {
          candidates.add(new Candidate(command));
        }
      }
      candidates.add(new Candidate("exit"));
      return;
    }
    CommandSpec command =
        rootSpec.subcommands().containsKey(line.words().get(0))
            ? rootSpec.subcommands().get(line.words().get(0)).getCommandSpec()
            : null;
    String previous = line.words().get(line.wordIndex() - 1);
    if (previous.equals("--method")) {
      methods.forEach(method -> candidates.add(new Candidate(method)));
    } else if (line.word().startsWith("-") && command != null) {
      for (OptionSpec option : command.options()) {
        candidates.add(new Candidate(option.longestName()));
      }
    } else {
      seenTopics.forEach(topic -> candidates.add(new Candidate(topic)));
    }
  }
}

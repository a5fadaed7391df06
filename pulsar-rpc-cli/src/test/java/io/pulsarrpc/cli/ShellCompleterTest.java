package io.pulsarrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

/** What Tab offers in the shell, by position in the line. */
class ShellCompleterTest {

  private static final List<String> METHODS = ProtoCatalog.load(CliRun.DESCRIPTORS).names();

  private static List<String> complete(String line) {
    StringWriter sink = new StringWriter();
    CliIo io =
        new CliIo(
            new PrintWriter(sink),
            new PrintWriter(sink),
            InputStream.nullInputStream(),
            Map.of(),
            false);
    ShellCompleter completer =
        new ShellCompleter(
            PulsarRpcCli.commandLine(new PulsarRpcCli(io)).getCommandSpec(),
            Set.of("persistent://public/default/orders"),
            METHODS);
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(
        null, new DefaultParser().parse(line, line.length(), ParseContext.COMPLETE), candidates);
    return candidates.stream().map(Candidate::value).toList();
  }

  @Test
  void firstWordCompletesToTheCommandsButTheShellItself() {
    assertThat(complete("c"))
        .contains("call", "call-all", "subscribe", "servers", "help", "exit")
        .doesNotContain("repl");
  }

  @Test
  void anOptionCompletesToTheCommandsOptionsAndTheConnectionOptions() {
    assertThat(complete("subscribe --"))
        .contains("--queue", "--count", "--for", "--service-url", "--bus")
        .doesNotContain("--at");
  }

  @Test
  void serversOptionsCompleteInTheShell() {
    assertThat(complete("servers --"))
        .contains("--control-token", "--control-topic", "--window", "--dump", "--json")
        .doesNotContain("--method");
  }

  @Test
  void afterMethodComeTheDescriptorSetsMethods() {
    assertThat(complete("call --method "))
        .containsExactly("clitest.Greeter/Greetings", "clitest.Greeter/SayHello");
  }

  @Test
  void otherArgumentsCompleteToTheTopicsUsed() {
    assertThat(complete("call pers")).containsExactly("persistent://public/default/orders");
  }
}

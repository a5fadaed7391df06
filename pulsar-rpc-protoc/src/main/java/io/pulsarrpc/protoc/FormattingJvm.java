package io.pulsarrpc.protoc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the plugin again in a child JVM whose compiler internals are exported, so that {@link
 * JavaFormatting} works there, when the JVM that protoc started has no access to them (a Maven
 * plugin launches us with a plain {@code java -cp}). Costs one JVM start per protoc run.
 */
final class FormattingJvm {

  /** Set in the child, so that it never starts another one. */
  private static final String CHILD = "pulsarrpc.protoc.child";

  private FormattingJvm() {}

  /** Whether this is not already the child and a {@code java} executable is at hand. */
  static boolean canStart() {
    return !Boolean.getBoolean(CHILD) && Files.isExecutable(java());
  }

  /**
   * Runs the plugin in the child on {@code request}, copying its answer to {@code out}.
   *
   * @return the child's exit code
   */
  static int run(byte[] request, OutputStream out) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java().toString());
    for (String compilerPackage : JavaFormatting.COMPILER_PACKAGES) {
      command.add("--add-exports=jdk.compiler/" + compilerPackage + "=ALL-UNNAMED");
    }
    command.add("-D" + CHILD + "=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PulsarRpcProtocPlugin.class.getName());
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (OutputStream toChild = child.getOutputStream()) {
      toChild.write(request);
    }
    try (InputStream fromChild = child.getInputStream()) {
      fromChild.transferTo(out);
    }
    out.flush();
    try {
      return child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.destroyForcibly();
      return 1;
    }
  }

  private static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }
}

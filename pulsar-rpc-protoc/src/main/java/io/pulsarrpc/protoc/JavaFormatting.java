package io.pulsarrpc.protoc;

import com.google.googlejavaformat.java.Formatter;
import com.google.googlejavaformat.java.FormatterException;
import java.util.List;

/**
 * Formats generated sources with google-java-format, the formatter of this project's own code.
 * google-java-format reaches into the JDK compiler's internal packages: it works only in a JVM
 * started with them exported ({@link FormattingJvm#EXPORTS}).
 */
final class JavaFormatting {

  static final List<String> COMPILER_PACKAGES =
      List.of(
          "com.sun.tools.javac.api",
          "com.sun.tools.javac.code",
          "com.sun.tools.javac.file",
          "com.sun.tools.javac.parser",
          "com.sun.tools.javac.tree",
          "com.sun.tools.javac.util");

  private JavaFormatting() {}

  /** Whether this JVM lets google-java-format use the compiler's internals. */
  static boolean isAvailable() {
    Module self = JavaFormatting.class.getModule();
    return ModuleLayer.boot()
        .findModule("jdk.compiler")
        .map(compiler -> COMPILER_PACKAGES.stream().allMatch(p -> compiler.isExported(p, self)))
        .orElse(false);
  }

  /**
   * {@code source} formatted, or as it is when this JVM cannot format (the generator writes it in
   * the formatter's layout as far as it can, so it stays readable).
   *
   * @throws GenerationException when the source does not parse: a bug of the generator
   */
  static String format(String source) {
    if (!isAvailable()) {
      return source;
    }
    try {
      return new Formatter().formatSource(source);
    } catch (FormatterException e) {
      throw new GenerationException(
          "the pulsar-rpc plugin generated Java that does not parse (please report it): "
              + e.getMessage()
              + "\n"
              + source);
    }
  }
}

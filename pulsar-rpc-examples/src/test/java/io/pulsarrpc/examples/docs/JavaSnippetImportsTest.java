package io.pulsarrpc.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of every page imports the library types it uses, so that a reader knows where
 * each comes from and a block that is a whole file compiles as shown. A type counts when it is a
 * public type of pulsar-rpc, of the Pulsar client, of the bus and metrics libraries the pages show,
 * of JUnit or of the JDK packages below; the reader's own types ({@code Order}) and {@code
 * java.lang} need no import.
 */
class JavaSnippetImportsTest {

  private static final List<String> PACKAGES =
      List.of(
          "io.pulsarrpc.client",
          "io.pulsarrpc.server",
          "io.pulsarrpc.common",
          "io.pulsarrpc.bus",
          "io.pulsarrpc.bus.pulsar",
          "io.pulsarrpc.bus.memory",
          "io.pulsarrpc.bus.redis",
          "io.pulsarrpc.bus.nats",
          "io.pulsarrpc.stream",
          "io.pulsarrpc.protobuf",
          "io.pulsarrpc.observability",
          "io.pulsarrpc.testkit",
          "io.pulsarrpc.testkit.contract",
          "org.apache.pulsar.client.api",
          "org.apache.pulsar.client.admin",
          "io.lettuce.core",
          "io.nats.client",
          "io.micrometer.core.instrument",
          "io.micrometer.core.instrument.config",
          "io.micrometer.core.instrument.distribution",
          "io.opentelemetry.api",
          "org.junit.jupiter.api",
          "org.junit.jupiter.api.extension",
          "java.time",
          "java.util",
          "java.util.concurrent",
          "java.util.function",
          "java.util.regex");

  // The pages' example domain type, which is also a JUnit annotation.
  private static final Set<String> EXAMPLE_TYPES = Set.of("Order");
  // A type name used as a type: not after a dot (a nested type or a constant of one named before).
  private static final Pattern TYPE_NAME = Pattern.compile("(?<![.\\w])[A-Z]\\w*[a-z]\\w*");
  private static final Pattern DECLARED =
      Pattern.compile("\\b(?:class|interface|record|enum)\\s+(\\w+)");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)");
  private static final Pattern COMMENT_OR_STRING =
      Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);

  @Test
  void everyJavaBlockOfEveryPageImportsTheTypesItUses() {
    List<String> missing = new ArrayList<>();
    for (String page : DocPages.pages()) {
      List<String> blocks = DocPages.javaBlocks(page);
      for (int i = 0; i < blocks.size(); i++) {
        Set<String> unimported = unimportedTypes(blocks.get(i));
        if (!unimported.isEmpty()) {
          missing.add(page + " block " + (i + 1) + ": " + unimported);
        }
      }
    }

    assertThat(missing).as("Java blocks that use types they do not import").isEmpty();
  }

  private static Set<String> unimportedTypes(String block) {
    Set<String> imports = new LinkedHashSet<>();
    Matcher imported = IMPORT.matcher(block);
    while (imported.find()) {
      imports.add(imported.group(1).replaceAll("\\.$", ""));
    }
    String code = COMMENT_OR_STRING.matcher(block).replaceAll(" ");
    Set<String> declared = new LinkedHashSet<>();
    Matcher declaration = DECLARED.matcher(code);
    while (declaration.find()) {
      declared.add(declaration.group(1));
    }
    Set<String> unimported = new LinkedHashSet<>();
    Matcher name = TYPE_NAME.matcher(code.replaceAll("(?m)^(package|import)\\s.*$", ""));
    while (name.find()) {
      String type = name.group();
      List<String> homes = homesOf(type);
      if (!declared.contains(type)
          && !EXAMPLE_TYPES.contains(type)
          && !homes.isEmpty()
          && homes.stream()
              .noneMatch(home -> imports.contains(home + "." + type) || imports.contains(home))) {
        unimported.add(type);
      }
    }
    return unimported;
  }

  /** The packages of {@link #PACKAGES} that have a public type of this name. */
  private static List<String> homesOf(String type) {
    List<String> homes = new ArrayList<>();
    for (String pkg : PACKAGES) {
      try {
        Class<?> found =
            Class.forName(pkg + "." + type, false, JavaSnippetImportsTest.class.getClassLoader());
        if (java.lang.reflect.Modifier.isPublic(found.getModifiers())) {
          homes.add(pkg);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // not a type of that package
      }
    }
    return homes;
  }
}

package io.pulsarrpc.examples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.examples.docs.DocPages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guide shows the snippet classes of this package whole: each Java block after a {@code <!--
 * snippet: path -->} line is that file, character for character, so what a reader copies is code
 * this build compiles.
 */
class GuideSnippetsTest {

  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path ROOT = MODULE.getParent();

  @Test
  void everySnippetOfTheGuideIsTheFileItNames() throws IOException {
    Map<String, String> snippets = snippets();

    assertThat(snippets).isNotEmpty();
    for (Map.Entry<String, String> snippet : snippets.entrySet()) {
      Path file = ROOT.resolve(snippet.getKey());
      assertThat(file).as("the file a snippet of the guide names").exists();
      assertThat(snippet.getValue())
          .as("docs/guide.md's snippet of %s", snippet.getKey())
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
  }

  @Test
  void everySnippetClassIsInTheGuide() throws IOException {
    Map<String, String> snippets = snippets();
    Path dir = MODULE.resolve("src/main/java/io/pulsarrpc/examples/guide");
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(file -> file.getFileName().toString().endsWith("Snippet.java"))
          .forEach(
              file ->
                  assertThat(snippets)
                      .as("the guide shows %s", file.getFileName())
                      .containsKey(ROOT.relativize(file).toString()));
    }
  }

  private static Map<String, String> snippets() {
    return DocPages.namedSnippets("docs/guide.md");
  }
}

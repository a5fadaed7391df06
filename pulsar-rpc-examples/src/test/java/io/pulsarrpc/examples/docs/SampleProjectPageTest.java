package io.pulsarrpc.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A page that shows a sample project of the repository whole, which the build runs against its own
 * artifacts (maven-invoker-plugin): each block after a {@code <!-- snippet: path -->} line is that
 * file, character for character, every file of the sample is shown, and the sample uses the version
 * this build makes, so what the page tells a user to type is what the build tests.
 */
abstract class SampleProjectPageTest {

  private static final Pattern SAMPLE_VERSION =
      Pattern.compile("<pulsar-rpc.version>([^<]+)</pulsar-rpc.version>");

  /** The page, from the repository's root. */
  abstract String page();

  /** The sample project's directory, from the repository's root. */
  abstract String sample();

  @Test
  void everySnippetOfThePageIsTheFileItNames() {
    Map<String, String> snippets = DocPages.namedSnippets(page());

    assertThat(snippets).isNotEmpty();
    snippets.forEach(
        (path, snippet) -> {
          assertThat(DocPages.ROOT.resolve(path)).as("the file a snippet names").exists();
          assertThat(snippet).as("%s's snippet of %s", page(), path).isEqualTo(DocPages.read(path));
        });
  }

  @Test
  void everyFileOfTheSampleProjectIsOnThePage() throws IOException {
    Map<String, String> snippets = DocPages.namedSnippets(page());
    Path sample = DocPages.ROOT.resolve(sample());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sample)) {
      files = walk.filter(Files::isRegularFile).toList();
    }

    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(snippets)
          .as("%s shows %s", page(), sample.relativize(file))
          .containsKey(DocPages.ROOT.relativize(file).toString());
    }
  }

  @Test
  void sampleProjectUsesTheVersionThisBuildMakes() {
    Matcher version = SAMPLE_VERSION.matcher(DocPages.read(sample() + "/pom.xml"));

    assertThat(version.find()).as("the sample's pom sets pulsar-rpc.version").isTrue();
    assertThat(version.group(1))
        .as("pulsar-rpc.version of %s/pom.xml (set it to the project's version)", sample())
        .isEqualTo(System.getProperty("project.version"));
  }
}

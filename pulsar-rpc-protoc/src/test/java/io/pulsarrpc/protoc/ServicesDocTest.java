package io.pulsarrpc.protoc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/services.md shows the sample user project (src/it/user-project, which the build runs against
 * its own artifacts) whole: each {@code java}, {@code proto} or {@code xml} block after a {@code
 * <!-- snippet: path -->} line is that file, character for character, and every file of the sample
 * is shown, so the documented setup is the one the build tests.
 */
class ServicesDocTest {

  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path ROOT = MODULE.getParent();
  private static final Path SAMPLE = MODULE.resolve("src/it/user-project");
  private static final Pattern SNIPPET =
      Pattern.compile(
          "<!-- snippet: (\\S+) -->\\n```(?:java|proto|xml)\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern SAMPLE_VERSION =
      Pattern.compile("<pulsar-rpc.version>([^<]+)</pulsar-rpc.version>");

  @Test
  void everySnippetOfTheDocIsTheFileItNames() throws IOException {
    Map<String, String> snippets = snippets();

    assertThat(snippets).isNotEmpty();
    for (Map.Entry<String, String> snippet : snippets.entrySet()) {
      Path file = ROOT.resolve(snippet.getKey());
      assertThat(file).as("the file a snippet of docs/services.md names").exists();
      assertThat(snippet.getValue())
          .as("docs/services.md's snippet of %s", snippet.getKey())
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
  }

  @Test
  void everyFileOfTheSampleProjectIsInTheDoc() throws IOException {
    Map<String, String> snippets = snippets();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SAMPLE)) {
      files = walk.filter(Files::isRegularFile).toList();
    }

    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(snippets)
          .as("docs/services.md shows %s", SAMPLE.relativize(file))
          .containsKey(ROOT.relativize(file).toString());
    }
  }

  @Test
  void sampleProjectUsesTheVersionThisBuildMakes() throws IOException {
    String pom = Files.readString(SAMPLE.resolve("pom.xml"), StandardCharsets.UTF_8);
    Matcher version = SAMPLE_VERSION.matcher(pom);

    assertThat(version.find()).as("the sample's pom sets pulsar-rpc.version").isTrue();
    assertThat(version.group(1))
        .as("pulsar-rpc.version of src/it/user-project/pom.xml (set it to the project's version)")
        .isEqualTo(System.getProperty("project.version"));
  }

  private static Map<String, String> snippets() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/services.md"), StandardCharsets.UTF_8);
    Map<String, String> snippets = new LinkedHashMap<>();
    Matcher matcher = SNIPPET.matcher(doc);
    while (matcher.find()) {
      snippets.put(matcher.group(1), matcher.group(2));
    }
    return snippets;
  }
}

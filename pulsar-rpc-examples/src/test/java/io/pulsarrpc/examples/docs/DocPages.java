package io.pulsarrpc.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the pages of docs/ and the README for the tests that keep them true: the code blocks that
 * show a file of the repository (after a {@code <!-- snippet: path -->} line) and every Java block.
 */
public final class DocPages {

  /** The repository's root: the tests run in the module's directory. */
  public static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static final Pattern NAMED_SNIPPET =
      Pattern.compile(
          "<!-- snippet: (\\S+) -->\\n```(?:java|xml|proto|properties)\\n(.*?)```", Pattern.DOTALL);
  // Blocks may be indented, inside a list item.
  private static final Pattern JAVA_BLOCK =
      Pattern.compile("^([ \\t]*)```java\\n(.*?)^\\1```", Pattern.DOTALL | Pattern.MULTILINE);

  private DocPages() {}

  /** The text of a page or file, by its path from the repository's root ({@code docs/guide.md}). */
  public static String read(String page) {
    try {
      return Files.readString(ROOT.resolve(page), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every page: the README and each {@code docs/*.md}. */
  public static List<String> pages() {
    List<String> pages = new ArrayList<>(List.of("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(path -> path.getFileName().toString().endsWith(".md"))
          .map(path -> ROOT.relativize(path).toString())
          .sorted()
          .forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  /** The blocks of {@code page} that show a file, by the file's path from the root. */
  public static Map<String, String> namedSnippets(String page) {
    Map<String, String> snippets = new LinkedHashMap<>();
    Matcher matcher = NAMED_SNIPPET.matcher(read(page));
    while (matcher.find()) {
      snippets.put(matcher.group(1), matcher.group(2));
    }
    return snippets;
  }

  /** Every Java block of {@code page}, without its indentation. */
  public static List<String> javaBlocks(String page) {
    List<String> blocks = new ArrayList<>();
    Matcher matcher = JAVA_BLOCK.matcher(read(page));
    while (matcher.find()) {
      String indent = matcher.group(1);
      blocks.add(matcher.group(2).replaceAll("(?m)^" + Pattern.quote(indent), ""));
    }
    return blocks;
  }
}

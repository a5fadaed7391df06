package io.pulsarrpc.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example as the README's command does, in a JVM of its own (so that its exit code is
 * seen), with its embedded broker, and checks that every call was answered.
 */
class SpringBootExampleIT {

  // The child JVM starts a broker, then Spring Boot; a loaded 2-core machine needs minutes.
  private static final long RUN_LIMIT_SECONDS = 300;

  @Test
  void exampleAnswersBothCallsReportsHealthAndMetricsAndExitsWithZero(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path output = dir.resolve("output.txt");
    Process example =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SpringBootExample.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean exited = example.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      example.destroyForcibly().waitFor();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);

    assertThat(exited).as("exited within %d s:%n%s", RUN_LIMIT_SECONDS, printed).isTrue();
    assertThat(example.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("shout(\"hello\") -> HELLO!")
        .contains("greet(\"Ada\") -> Hello, Ada")
        .contains("health of pulsarRpc: UP")
        .containsPattern("pulsar-rpc meters: [1-9]\\d*")
        .contains("Spring Boot example finished: every call was answered.");
  }
}

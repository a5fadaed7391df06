package io.pulsarrpc.protoc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator's output for the .proto files under {@code src/test/proto/golden}, compared with
 * the files checked in under {@code src/test/golden}. After a deliberate change of the generated
 * code, regenerate them with {@code mvn -pl pulsar-rpc-protoc -am test -Dtest=GoldenFilesTest
 * -Dgolden.update=true -Dsurefire.failIfNoSpecifiedTests=false} and review the diff.
 */
class GoldenFilesTest {

  private static final Path GOLDEN = Path.of("src", "test", "golden");

  @ParameterizedTest
  @ValueSource(strings = {"golden/shop/orders.proto", "golden/keywords/keywords.proto"})
  void generatedFilesAreTheGoldenOnes(String proto) throws IOException {
    CodeGeneratorResponse response = PulsarRpcProtocPlugin.generate(TestProtos.requestFor(proto));
    assertThat(response.getError()).isEmpty();
    assertThat(response.getFileList()).isNotEmpty();

    for (CodeGeneratorResponse.File file : response.getFileList()) {
      Path golden = GOLDEN.resolve(file.getName());
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, file.getContent(), StandardCharsets.UTF_8);
      }
      assertThat(golden).as("golden file of " + file.getName()).exists();
      assertThat(file.getContent())
          .as(file.getName())
          .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
    try (Stream<Path> checkedIn = Files.walk(GOLDEN)) {
      assertThat(checkedIn.filter(Files::isRegularFile).count())
          .as("no golden file without a generated one")
          .isGreaterThanOrEqualTo(response.getFileCount());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"golden/shop/orders.proto", "golden/keywords/keywords.proto"})
  void generatedCodeCompilesWithoutAnyLintWarning(String proto, @TempDir Path out)
      throws IOException {
    CodeGeneratorResponse response = PulsarRpcProtocPlugin.generate(TestProtos.requestFor(proto));
    List<Path> sources = new ArrayList<>();
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      Path source = out.resolve("src").resolve(file.getName());
      Files.createDirectories(source.getParent());
      sources.add(Files.writeString(source, file.getContent(), StandardCharsets.UTF_8));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    List<String> options =
        List.of(
            "-Xlint:all",
            "-Werror",
            "-proc:none",
            "-d",
            out.resolve("classes").toString(),
            "-classpath",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      boolean compiled =
          javac
              .getTask(
                  diagnostics,
                  files,
                  null,
                  options,
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();

      assertThat(diagnostics.toString()).isEmpty();
      assertThat(compiled).isTrue();
    }
  }
}

package io.pulsarrpc.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged jar tells IDEs about every documented property. */
class PropertyMetadataIT {

  @Test
  void builtJarListsEveryDocumentedPropertyWithADescription() throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jar =
          files
              .filter(
                  file ->
                      file.getFileName()
                          .toString()
                          .matches(".*-autoconfigure-[^-]+(-SNAPSHOT)?\\.jar"))
              .findFirst()
              .orElseThrow();
    }
    String metadata;
    try (JarFile file = new JarFile(jar.toFile());
        InputStream in =
            file.getInputStream(file.getEntry("META-INF/spring-configuration-metadata.json"))) {
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(metadata)
        .contains(
            "\"name\": \"pulsar-rpc.enabled\"",
            "\"name\": \"pulsar-rpc.naming.tenant\"",
            "\"name\": \"pulsar-rpc.naming.namespace\"",
            "\"name\": \"pulsar-rpc.naming.prefix\"",
            "\"name\": \"pulsar-rpc.client.reply-timeout\"",
            "\"name\": \"pulsar-rpc.client.claim-window\"",
            "\"name\": \"pulsar-rpc.client.max-pending-requests\"",
            "\"name\": \"pulsar-rpc.client.client-id\"",
            "\"name\": \"pulsar-rpc.server.max-concurrent-requests\"",
            "\"name\": \"pulsar-rpc.server.shutdown-grace-period\"",
            "\"name\": \"pulsar-rpc.server.control-token\"",
            "\"name\": \"pulsar-rpc.observability.metrics.enabled\"",
            "\"name\": \"pulsar-rpc.observability.tracing.enabled\"",
            "\"name\": \"management.health.pulsarrpc.enabled\"")
        .contains("\"description\": \"How long a call waits for its reply");
  }
}

package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerClasspathTest {

  private static final String REPO = "/home/u/.m2/repository/org/apache/pulsar/";

  @Test
  void shadedClientJarsAreLeftOutAndEverythingElseKeptInOrder() {
    List<String> entries =
        List.of(
            "/work/app/target/test-classes",
            REPO + "pulsar-client/4.0.8/pulsar-client-4.0.8.jar",
            REPO + "pulsar-client-admin/4.0.8/pulsar-client-admin-4.0.8.jar",
            REPO + "pulsar-client-all/4.0.8/pulsar-client-all-4.0.8.jar",
            REPO + "pulsar-client-api/4.0.8/pulsar-client-api-4.0.8.jar",
            REPO + "pulsar-broker/4.0.8/pulsar-broker-4.0.8.jar",
            REPO + "pulsar-client-original/4.0.8/pulsar-client-original-4.0.8.jar",
            REPO + "pulsar-client-admin-original/4.0.8/pulsar-client-admin-original-4.0.8.jar");

    assertThat(BrokerClasspath.forBroker(entries))
        .containsExactly(
            "/work/app/target/test-classes",
            REPO + "pulsar-client-api/4.0.8/pulsar-client-api-4.0.8.jar",
            REPO + "pulsar-broker/4.0.8/pulsar-broker-4.0.8.jar",
            REPO + "pulsar-client-original/4.0.8/pulsar-client-original-4.0.8.jar",
            REPO + "pulsar-client-admin-original/4.0.8/pulsar-client-admin-original-4.0.8.jar");
  }

  @Test
  void aClasspathWithoutTheBrokerIsRefusedWithTheFix() {
    List<String> entries = List.of(REPO + "pulsar-client/4.0.8/pulsar-client-4.0.8.jar");

    assertThatThrownBy(() -> BrokerClasspath.forBroker(entries))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("org.apache.pulsar:pulsar-broker")
        .hasMessageContaining("PULSAR_SERVICE_URL");
  }

  @Test
  void theTestJvmClasspathYieldsTheBrokerWithoutTheShadedClient() {
    List<String> entries = BrokerClasspath.ofCurrentJvm();

    assertThat(entries).anyMatch(entry -> entry.contains("pulsar-broker-"));
    assertThat(entries).anyMatch(entry -> entry.contains("pulsar-client-original-"));
    assertThat(entries).noneMatch(entry -> entry.matches(".*pulsar-client-\\d[^/]*\\.jar"));
  }
}

package io.pulsarrpc.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * The classpath of the broker's child JVM, derived from the classpath of this JVM.
 *
 * <p>The test JVM holds both the shaded {@code pulsar-client} jars (what user code links against)
 * and the broker's unshaded {@code pulsar-client-original} jars, which define the same class names.
 * The broker fails with {@code NoSuchFieldError} when a shaded class wins, so its JVM gets this
 * JVM's classpath without the shaded client jars.
 */
final class BrokerClasspath {

  static final String BROKER_MAIN_CLASS = "org.apache.pulsar.PulsarStandaloneStarter";

  private static final Pattern SHADED_CLIENT_JAR =
      Pattern.compile("pulsar-client(-admin)?(-all)?-\\d[^/\\\\]*\\.jar");
  private static final Pattern BROKER_JAR = Pattern.compile("pulsar-broker-\\d[^/\\\\]*\\.jar");

  private BrokerClasspath() {}

  /** The child JVM's classpath entries for the running JVM. */
  static List<String> ofCurrentJvm() {
    Set<String> entries = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(entry);
        entries.addAll(manifestClassPath(entry));
      }
    }
    // Launchers such as exec:java and some IDEs load the application in a URLClassLoader.
    for (ClassLoader loader = Thread.currentThread().getContextClassLoader();
        loader != null;
        loader = loader.getParent()) {
      if (loader instanceof URLClassLoader urlLoader) {
        for (URL url : urlLoader.getURLs()) {
          toPath(url).ifPresent(entries::add);
        }
      }
    }
    return forBroker(entries);
  }

  /**
   * Keeps every entry but the shaded client jars, and checks that the broker is there.
   *
   * @throws IllegalStateException when no {@code pulsar-broker} jar is among the entries
   */
  static List<String> forBroker(Iterable<String> entries) {
    List<String> result = new ArrayList<>();
    boolean brokerFound = false;
    for (String entry : entries) {
      Path name = Paths.get(entry).getFileName();
      String fileName = name == null ? entry : name.toString();
      if (SHADED_CLIENT_JAR.matcher(fileName).matches()) {
        continue;
      }
      brokerFound |= BROKER_JAR.matcher(fileName).matches();
      result.add(entry);
    }
    if (!brokerFound) {
      throw new IllegalStateException(
          "The embedded Pulsar broker needs org.apache.pulsar:pulsar-broker on the test runtime"
              + " classpath. pulsar-rpc-testkit-brokers brings it as a runtime dependency: check that it is"
              + " not excluded, or set PULSAR_SERVICE_URL to use a broker you run yourself.");
    }
    return result;
  }

  /**
   * Entries named by a manifest-only jar (Surefire's booter jar is one) in its {@code Class-Path}.
   */
  private static List<String> manifestClassPath(String entry) {
    if (!entry.endsWith(".jar")) {
      return List.of();
    }
    try (JarFile jar = new JarFile(entry)) {
      Manifest manifest = jar.getManifest();
      String classPath =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (classPath == null || classPath.isBlank()) {
        return List.of();
      }
      Path base = Paths.get(entry).toAbsolutePath().getParent();
      List<String> result = new ArrayList<>();
      for (String relative : classPath.trim().split("\\s+")) {
        try {
          Path resolved = Paths.get(base.toUri().resolve(relative));
          if (Files.exists(resolved)) {
            result.add(resolved.toString());
          }
        } catch (IllegalArgumentException e) {
          // Not a file URI: nothing the child JVM could load either.
        }
      }
      return result;
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Optional<String> toPath(URL url) {
    if (!"file".equals(url.getProtocol())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Paths.get(url.toURI()).toString());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

package io.pulsarrpc.testkit;

import io.pulsarrpc.testkit.internal.BrokerProcessMain;
import io.pulsarrpc.testkit.internal.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * A real Pulsar standalone broker (with its bookie and a RocksDB metadata store) in a child JVM, on
 * free loopback ports ({@link FreePorts}; a first start that finds one taken by another process is
 * made again on others), with its data in its own directory. No Docker needed.
 *
 * <p>Running out of process is what lets a test {@linkplain #kill() crash} the broker for real and
 * {@linkplain #start() restart} it on the same data and ports; clients reconnect by themselves. The
 * child JVM exits when the JVM that started it goes away, even by {@code kill -9}.
 *
 * <pre>{@code
 * try (EmbeddedPulsarBroker broker = EmbeddedPulsarBroker.builder()
 *     .brokerSetting("managedLedgerNewEntriesCheckDelayInMillis", "0")
 *     .build()) {
 *   broker.start();
 *   PulsarClient client = broker.client();
 *   ...
 * }
 * }</pre>
 *
 * <p>A first start takes about 10 s on two cores; the child JVM uses about 450 MB of memory.
 * Instances are thread-safe. {@link #close()} stops the broker and deletes its directory (unless
 * the directory was given to the builder).
 */
public final class EmbeddedPulsarBroker implements PulsarTestBroker {

  private static final Set<String> MANAGED_SETTINGS =
      Set.of(
          "brokerServicePort",
          "webServicePort",
          "bindAddress",
          "advertisedAddress",
          "clusterName",
          "brokerServicePortTls",
          "webServicePortTls");

  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final Map<String, String> settings;
  private final TokenIssuer tokens;
  private final List<String> jvmOptions;
  private final Duration startupTimeout;
  private final WorkDirectory workDirectory;
  // Picked again only while the first start finds one taken (FirstStart); fixed from then on.
  private volatile int brokerPort;
  private volatile int webPort;
  private volatile int tlsPort;
  private final boolean tls;
  private final TestCertificates certificates;
  private final PulsarClients clients;
  private final HttpClient http;
  private final AtomicInteger readinessProbes = new AtomicInteger();
  private final Thread shutdownHook;
  private ManagedProcess process;
  private boolean closed;

  private EmbeddedPulsarBroker(Builder builder) {
    this.tokens = builder.tokenAuthentication ? new TokenIssuer() : null;
    Map<String, String> all = new LinkedHashMap<>(builder.settings);
    if (tokens != null) {
      all.putAll(tokens.brokerSettings());
    }
    this.settings = Map.copyOf(all);
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    this.startupTimeout = builder.startupTimeout;
    this.workDirectory =
        builder.workDirectory == null
            ? WorkDirectory.temporary("pulsar-rpc-broker-")
            : WorkDirectory.given(builder.workDirectory);
    this.tls = builder.tls;
    pickPorts();
    this.certificates =
        builder.tls ? TestCertificates.generate(workDirectory.path().resolve("tls")) : null;
    this.clients =
        new PulsarClients(
            this::serviceUrl,
            this::adminUrl,
            tokens == null ? null : tokens.tokenFor(TokenIssuer.SUPER_USER));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    this.shutdownHook = new Thread(this::killAndDelete, "embedded-pulsar-broker-cleanup");
  }

  /** A builder with the defaults: a temporary directory, a 120 s startup timeout, 384 MB heap. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the broker, or starts it again after {@link #stop()} or {@link #kill()} on the same data
   * and ports. Returns when the broker serves clients: its admin API answers and it stores a new
   * topic, so that after a crash the bookie is back too.
   *
   * @throws IllegalStateException when it is running already, was closed, or does not come up in
   *     time; the message then holds the tail of the broker's log
   */
  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("This broker was closed; build a new one");
    }
    if (process != null) {
      process.start(startupTimeout, this::servesRequests);
      return;
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    FirstStart.run(
        attempt -> {
          if (attempt > 1) {
            pickPorts();
          }
          writeConfiguration();
          process =
              new ManagedProcess(
                  "Embedded Pulsar broker", command(), workDirectory.path(), logFile());
          return process;
        },
        started -> started.start(startupTimeout, this::servesRequests));
  }

  private void pickPorts() {
    brokerPort = FreePorts.next();
    webPort = FreePorts.next();
    tlsPort = tls ? FreePorts.next() : -1;
  }

  /** Stops the broker gracefully (SIGTERM), keeping its data for {@link #start()}. */
  @Override
  public synchronized void stop() {
    if (process != null) {
      process.stop(STOP_GRACE);
    }
  }

  /**
   * Kills the broker's JVM with SIGKILL, as a crash or {@code kill -9} would: nothing is flushed or
   * closed. {@link #start()} recovers it on the same data.
   */
  @Override
  public synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  /** Whether the broker's process is alive (it may still be starting). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * The operating-system process id of the broker's JVM.
   *
   * @throws IllegalStateException before the first {@link #start()}
   */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("The broker was never started");
    }
    return process.pid();
  }

  @Override
  public String serviceUrl() {
    return "pulsar://127.0.0.1:" + brokerPort;
  }

  /**
   * The service URL of the broker's TLS port, e.g. {@code pulsar+ssl://127.0.0.1:41236}; give the
   * client {@link #tlsTrustCertsFile()} to trust it. The plain {@link #serviceUrl()} stays open.
   *
   * @throws IllegalStateException unless the broker was built with {@link Builder#tls()}
   */
  public String tlsServiceUrl() {
    requireTls();
    return "pulsar+ssl://127.0.0.1:" + tlsPort;
  }

  /**
   * The PEM file of the certificate authority that signed the broker's TLS certificate: a client's
   * {@code tlsTrustCertsFilePath}. Made when the broker was built, kept in its {@link
   * #workDirectory()}.
   *
   * @throws IllegalStateException unless the broker was built with {@link Builder#tls()}
   */
  public Path tlsTrustCertsFile() {
    requireTls();
    return certificates.caFile();
  }

  private void requireTls() {
    if (certificates == null) {
      throw new IllegalStateException("this broker has no TLS port: build it with tls()");
    }
  }

  @Override
  public String adminUrl() {
    return "http://127.0.0.1:" + webPort;
  }

  /**
   * The client of this broker, shared by the tests of a JVM; with {@link
   * Builder#tokenAuthentication()}, it authenticates as the super-user.
   */
  @Override
  public PulsarClient client() {
    return clients.client();
  }

  /**
   * A token for {@code role}, signed with this broker's secret, for a client of your own: {@code
   * PulsarClient.builder().authentication(AuthenticationFactory.token(broker.tokenFor("orders")))}.
   *
   * @throws IllegalStateException unless the broker was built with {@link
   *     Builder#tokenAuthentication()}
   * @throws IllegalArgumentException when the role is blank
   */
  public String tokenFor(String role) {
    if (tokens == null) {
      throw new IllegalStateException(
          "this broker does not authenticate: build it with tokenAuthentication()");
    }
    return tokens.tokenFor(role);
  }

  @Override
  public PulsarAdmin admin() {
    return clients.admin();
  }

  @Override
  public boolean isEmbedded() {
    return true;
  }

  /** The directory holding the broker's configuration, data and log. */
  public Path workDirectory() {
    return workDirectory.path();
  }

  /** The broker's log file; every start appends to it. */
  public Path logFile() {
    return workDirectory.path().resolve("broker.log");
  }

  /** The last {@code lines} lines of the broker's log. */
  public String logTail(int lines) {
    ManagedProcess current;
    synchronized (this) {
      current = process;
    }
    return current == null ? "" : current.logTail(lines);
  }

  /**
   * Closes the shared clients, stops the broker and deletes its directory if the testkit created
   * it. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    clients.close();
    stop();
    workDirectory.deleteIfOwned();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // The JVM is shutting down already, or the broker never started: no hook to remove.
    }
  }

  @Override
  public String toString() {
    return "embedded Pulsar broker at " + serviceUrl() + " in " + workDirectory.path();
  }

  private void killAndDelete() {
    ManagedProcess current;
    synchronized (this) {
      current = process;
    }
    if (current != null) {
      current.kill();
    }
    workDirectory.deleteIfOwned();
  }

  /**
   * Whether the broker serves clients: it lists {@code public/default} and creates a topic, which
   * takes a new ledger from the bookie. After a {@code kill -9} the admin API answers seconds
   * before the bookie takes writes (3-5 s measured on two cores, a minute in rare runs); a broker
   * called ready before then fails its clients' reconnects, which then back off for long.
   */
  private boolean servesRequests() {
    // Standalone creates public/default at the end of its setup; before that it answers 404.
    Optional<String> namespaces = answer("GET", "/admin/v2/namespaces/public");
    if (namespaces.isEmpty() || !namespaces.get().contains("public/default")) {
      return false;
    }
    String probe =
        "/admin/v2/persistent/public/default/testkit-ready-" + readinessProbes.incrementAndGet();
    if (answer("PUT", probe).isEmpty()) {
      return false;
    }
    answer("DELETE", probe);
    return true;
  }

  /** The body of the admin API's answer to {@code method path}, when it succeeded. */
  private Optional<String> answer(String method, String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(adminUrl() + path))
            .timeout(Duration.ofSeconds(2))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (tokens != null) {
      builder.header("Authorization", "Bearer " + tokens.tokenFor(TokenIssuer.SUPER_USER));
    }
    try {
      HttpResponse<String> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() / 100 == 2 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void writeConfiguration() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("clusterName", "standalone");
    config.put("advertisedAddress", "127.0.0.1");
    config.put("bindAddress", "127.0.0.1");
    config.put("brokerServicePort", Integer.toString(brokerPort));
    config.put("webServicePort", Integer.toString(webPort));
    config.put("managedLedgerDefaultEnsembleSize", "1");
    config.put("managedLedgerDefaultWriteQuorum", "1");
    config.put("managedLedgerDefaultAckQuorum", "1");
    config.put("managedLedgerCacheSizeMB", "32");
    config.put("webSocketServiceEnabled", "false");
    config.put("functionsWorkerEnabled", "false");
    config.put("brokerShutdownTimeoutMs", "10000");
    if (certificates != null) {
      config.put("brokerServicePortTls", Integer.toString(tlsPort));
      config.put("tlsCertificateFilePath", certificates.certificateFile().toString());
      config.put("tlsKeyFilePath", certificates.keyFile().toString());
      config.put("tlsTrustCertsFilePath", certificates.caFile().toString());
    }
    config.putAll(settings);
    StringBuilder text = new StringBuilder("# Written by pulsar-rpc-testkit\n");
    config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    String log4j =
        """
        <Configuration status="warn">
          <Appenders>
            <Console name="console" target="SYSTEM_OUT">
              <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n"/>
            </Console>
          </Appenders>
          <Loggers>
            <Logger name="org.apache.bookkeeper" level="warn"/>
            <Logger name="org.apache.distributedlog" level="warn"/>
            <Root level="info"><AppenderRef ref="console"/></Root>
          </Loggers>
        </Configuration>
        """;
    try {
      Files.writeString(configFile(), text, StandardCharsets.UTF_8);
      Files.writeString(workDirectory.path().resolve("log4j2.xml"), log4j, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the broker configuration", e);
    }
  }

  private Path configFile() {
    return workDirectory.path().resolve("standalone.conf");
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    for (String module :
        List.of(
            "java.base/java.io",
            "java.base/java.lang",
            "java.base/java.nio",
            "java.base/java.util.zip",
            "java.base/sun.net",
            "java.base/sun.nio.ch",
            "java.base/jdk.internal.platform",
            "java.management/sun.management",
            "jdk.management/com.sun.management.internal")) {
      command.add("--add-opens");
      command.add(module + "=ALL-UNNAMED");
    }
    command.add("-Dio.netty.tryReflectionSetAccessible=true");
    // A crashed broker leaves its extracted native libraries in java.io.tmpdir: keep them here.
    command.add("-Djava.io.tmpdir=" + workDirectory.resolve("tmp"));
    command.add("-Dlog4j2.configurationFile=" + workDirectory.path().resolve("log4j2.xml"));
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, BrokerClasspath.ofCurrentJvm()));
    command.add(BrokerProcessMain.class.getName());
    command.add("--config");
    command.add(configFile().toString());
    command.add("--metadata-dir");
    command.add(workDirectory.resolve("metadata").toString());
    command.add("--bookkeeper-dir");
    command.add(workDirectory.resolve("bookkeeper").toString());
    command.add("--bookkeeper-port");
    command.add("0");
    command.add("--no-stream-storage");
    command.add("--no-functions-worker");
    return command;
  }

  /**
   * Settings for an {@link EmbeddedPulsarBroker}. Not thread-safe; {@link #build()} validates and
   * does not start the broker.
   */
  public static final class Builder {

    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> jvmOptions =
        new ArrayList<>(List.of("-Xms64m", "-Xmx384m", "-XX:MaxDirectMemorySize=256m"));
    private Duration startupTimeout = Duration.ofSeconds(120);
    private Path workDirectory;
    private boolean tokenAuthentication;
    private boolean tls;

    private Builder() {}

    /**
     * Sets one broker configuration key, as in {@code standalone.conf}, for example {@code
     * managedLedgerNewEntriesCheckDelayInMillis=0} for the lowest round-trip latency. Ports,
     * addresses and the cluster name are chosen by the testkit and cannot be set.
     *
     * @throws IllegalArgumentException when the key is blank or managed by the testkit, or the
     *     value is null or spans lines
     */
    public Builder brokerSetting(String key, String value) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("broker setting key must not be blank");
      }
      if (MANAGED_SETTINGS.contains(key)) {
        throw new IllegalArgumentException(
            "broker setting '" + key + "' is chosen by the testkit and cannot be overridden");
      }
      if (value == null || value.contains("\n") || value.contains("\r")) {
        throw new IllegalArgumentException(
            "broker setting '" + key + "' needs a single-line value, got " + value);
      }
      settings.put(key.strip(), value);
      return this;
    }

    /** Sets several broker configuration keys; see {@link #brokerSetting(String, String)}. */
    public Builder brokerSettings(Map<String, String> settings) {
      Objects.requireNonNull(settings, "settings");
      settings.forEach(this::brokerSetting);
      return this;
    }

    /**
     * How long {@link EmbeddedPulsarBroker#start()} waits for the broker while its log shows no
     * progress. Default 120 s (a start takes about 10 s on an idle machine). A broker that keeps
     * logging gets up to five times this in all: beside four parallel builds on two cores, a start
     * took longer than 120 s while the broker was still working.
     *
     * @throws IllegalArgumentException unless positive
     */
    public Builder startupTimeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("startupTimeout must be positive, got " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Keeps the broker's configuration, data and log in this directory, which {@link
     * EmbeddedPulsarBroker#close()} then leaves in place. Default: a new temporary directory,
     * deleted on close.
     */
    public Builder workDirectory(Path directory) {
      this.workDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Adds an option to the broker's JVM command line, after the defaults {@code -Xms64m -Xmx384m
     * -XX:MaxDirectMemorySize=256m} (so a later {@code -Xmx} wins).
     *
     * @throws IllegalArgumentException when the option does not start with {@code -}
     */
    public Builder jvmOption(String option) {
      if (option == null || !option.startsWith("-")) {
        throw new IllegalArgumentException("a JVM option starts with '-', got " + option);
      }
      jvmOptions.add(option);
      return this;
    }

    /**
     * Turns on Pulsar's token authentication (JWT, HS256, a random secret per broker): clients must
     * present a token, which {@link EmbeddedPulsarBroker#tokenFor(String)} signs for any role. The
     * broker's own {@link EmbeddedPulsarBroker#client()} and {@link EmbeddedPulsarBroker#admin()}
     * authenticate as the super-user {@code admin}. Authorization stays off: every authenticated
     * role may use every topic. Default: no authentication.
     */
    public Builder tokenAuthentication() {
      this.tokenAuthentication = true;
      return this;
    }

    /**
     * Opens a TLS port beside the plain one, with a certificate for {@code localhost} and {@code
     * 127.0.0.1} signed by a certificate authority made for this broker ({@link TestCertificates}):
     * connect to {@link EmbeddedPulsarBroker#tlsServiceUrl()} trusting {@link
     * EmbeddedPulsarBroker#tlsTrustCertsFile()}. Clients need no certificate of their own. The
     * broker's own {@link EmbeddedPulsarBroker#client()} and {@link EmbeddedPulsarBroker#admin()}
     * use the plain ports. Default: no TLS port.
     */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /** A broker with these settings, not yet started: call {@link EmbeddedPulsarBroker#start()}. */
    public EmbeddedPulsarBroker build() {
      return new EmbeddedPulsarBroker(this);
    }
  }
}

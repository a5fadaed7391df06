package io.pulsarrpc.spring.boot;

import static io.pulsarrpc.common.internal.SettingChecks.atLeastOne;
import static io.pulsarrpc.common.internal.SettingChecks.positive;

import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of the pulsar-rpc starter, under the prefix {@code pulsar-rpc}. Every setter checks
 * its value, so that a bad one fails the application's startup with a message naming the property
 * and what it accepts. The connection itself (service URL, authentication, TLS) is Spring Boot's:
 * {@code spring.pulsar.client.*}.
 *
 * <p>Bound once at startup; not meant to be changed afterwards.
 */
@ConfigurationProperties(prefix = "pulsar-rpc")
public class PulsarRpcProperties {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  /** Whether the starter builds anything: false turns every server and client bean off. */
  private boolean enabled = true;

  /** How generated services map to topic names. */
  private final Naming naming = new Naming();

  /** Settings of every client the starter builds. */
  private final Client client = new Client();

  /** Settings of every server the starter builds. */
  private final Server server = new Server();

  /** Metrics and tracing of every server and client the starter builds. */
  private final Observability observability = new Observability();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Naming getNaming() {
    return naming;
  }

  public Client getClient() {
    return client;
  }

  public Server getServer() {
    return server;
  }

  public Observability getObservability() {
    return observability;
  }

  /**
   * How generated services map to topics: {@code persistent://<tenant>/<namespace>/<prefix><full
   * service name>.<method>}, the rule of {@code ServiceNaming}.
   */
  public static class Naming {

    /** The Pulsar tenant of the service topics. */
    private String tenant = "public";

    /** The Pulsar namespace of the service topics. */
    private String namespace = "default";

    /** The text every service topic's local name starts with; may be empty. */
    private String prefix = "rpc.";

    public String getTenant() {
      return tenant;
    }

    public void setTenant(String tenant) {
      this.tenant = name(tenant, "pulsar-rpc.naming.tenant");
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = name(namespace, "pulsar-rpc.naming.namespace");
    }

    public String getPrefix() {
      return prefix;
    }

    public void setPrefix(String prefix) {
      if (prefix == null || !(prefix.isEmpty() || NAME.matcher(prefix).matches())) {
        throw new IllegalArgumentException(
            "pulsar-rpc.naming.prefix must be empty or letters, digits, '_', '.' or '-', got '"
                + prefix
                + "'");
      }
      this.prefix = prefix;
    }
  }

  /** Settings of the clients: generated {@code FooClient} beans and {@code PulsarRpcClients}. */
  public static class Client {

    /** How long a call waits for its reply when it sets no timeout of its own. */
    private Duration replyTimeout = Duration.ofSeconds(30);

    /**
     * How long a call that needs a claim (a topic call, a multi-call, a call made with {@code
     * RequestOptions.withClaimRequired()}) waits for a server to claim it before it fails with
     * {@code NO_RESPONDERS}.
     */
    private Duration claimWindow = Duration.ofSeconds(2);

    /** The most calls of one client (of one method, for generated clients) pending at once. */
    private int maxPendingRequests = 100_000;

    /**
     * This application instance's client id: reply topics end with it and it names their
     * subscriptions, so two instances must never share it. Default: {@code
     * <spring.application.name>-<random suffix>}, new on each start, so that instances never share
     * a reply subscription. Set it (for example to the host name) to keep replies sent while an
     * instance restarts.
     */
    private String clientId;

    public Duration getReplyTimeout() {
      return replyTimeout;
    }

    public void setReplyTimeout(Duration replyTimeout) {
      this.replyTimeout = positive(replyTimeout, "pulsar-rpc.client.reply-timeout");
    }

    public Duration getClaimWindow() {
      return claimWindow;
    }

    public void setClaimWindow(Duration claimWindow) {
      this.claimWindow = positive(claimWindow, "pulsar-rpc.client.claim-window");
    }

    public int getMaxPendingRequests() {
      return maxPendingRequests;
    }

    public void setMaxPendingRequests(int maxPendingRequests) {
      this.maxPendingRequests =
          atLeastOne(maxPendingRequests, "pulsar-rpc.client.max-pending-requests");
    }

    public String getClientId() {
      return clientId;
    }

    public void setClientId(String clientId) {
      this.clientId = name(clientId, "pulsar-rpc.client.client-id");
    }
  }

  /** Settings of the servers: {@code @PulsarRpcHandler} methods and generated servers. */
  public static class Server {

    /** The most requests one server (one method, for generated servers) handles at once. */
    private int maxConcurrentRequests = 256;

    /**
     * How long a server waits on shutdown for the requests in flight before it is killed (their
     * requests then go to another server). Default: {@code
     * spring.lifecycle.timeout-per-shutdown-phase}, 30 s when unset; keep it no longer than that.
     */
    private Duration shutdownGracePeriod;

    /**
     * When set, {@code @PulsarRpcHandler} servers and the servers of generated services answer
     * introspection requests ({@code pulsar-rpc servers}) on the control topic from callers that
     * present this token. Default: unset, no control topic.
     */
    private String controlToken;

    public int getMaxConcurrentRequests() {
      return maxConcurrentRequests;
    }

    public void setMaxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests =
          atLeastOne(maxConcurrentRequests, "pulsar-rpc.server.max-concurrent-requests");
    }

    public Duration getShutdownGracePeriod() {
      return shutdownGracePeriod;
    }

    public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
      if (shutdownGracePeriod == null || shutdownGracePeriod.isNegative()) {
        throw new IllegalArgumentException(
            "pulsar-rpc.server.shutdown-grace-period must be zero or positive, got "
                + shutdownGracePeriod);
      }
      this.shutdownGracePeriod = shutdownGracePeriod;
    }

    public String getControlToken() {
      return controlToken;
    }

    public void setControlToken(String controlToken) {
      if (controlToken == null || controlToken.isBlank()) {
        throw new IllegalArgumentException(
            "pulsar-rpc.server.control-token must not be blank; leave it unset to keep the"
                + " control topic off");
      }
      this.controlToken = controlToken;
    }
  }

  /** Metrics and tracing. */
  public static class Observability {

    /** Micrometer metrics. */
    private final Toggle metrics = new Toggle();

    /** OpenTelemetry tracing. */
    private final Toggle tracing = new Toggle();

    public Toggle getMetrics() {
      return metrics;
    }

    public Toggle getTracing() {
      return tracing;
    }
  }

  /** Turns one kind of instrumentation on or off. */
  public static class Toggle {

    /**
     * Whether the interceptors are added; effective only when the application has the bean they
     * need (a {@code MeterRegistry} for metrics, an {@code OpenTelemetry} for tracing) and {@code
     * pulsar-rpc-observability} is on the classpath.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  private static String name(String value, String property) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          property + " must be letters, digits, '_', '.' or '-', got '" + value + "'");
    }
    return value;
  }
}

package io.pulsarrpc.protobuf;

import io.pulsarrpc.common.internal.SettingChecks;
import io.pulsarrpc.server.PulsarRpcServerBuilder;
import io.pulsarrpc.server.PulsarRpcStreamServerBuilder;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.stream.StreamInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of a generated service server ({@code FooServer.create(impl, ..., options)}); each
 * maps onto a setting of the core servers the service server is made of, one per method.
 *
 * <p>Immutable and thread-safe; made by {@link #builder()}, whose setters reject a bad value with
 * an {@link IllegalArgumentException}. {@link #defaults()}: {@link ServiceNaming#defaults()}, the
 * naming's server subscription, a random server id, the core servers' defaults otherwise.
 */
public final class ServiceServerOptions {

  private final ServiceNaming naming;
  private final String serverSubscription;
  private final String serverId;
  private final int maxConcurrentRequests;
  private final Duration shutdownGracePeriod;
  private final List<ServerInterceptor> interceptors;
  private final List<StreamInterceptor> streamInterceptors;
  private final int maxStreams;
  private final int streamWindow;
  private final Duration streamHeartbeatInterval;
  private final String controlToken;

  private ServiceServerOptions(Builder builder) {
    this.naming = builder.naming;
    this.serverSubscription = builder.serverSubscription;
    this.serverId = builder.serverId == null ? ServiceClientOptions.newId() : builder.serverId;
    this.maxConcurrentRequests = builder.maxConcurrentRequests;
    this.shutdownGracePeriod = builder.shutdownGracePeriod;
    this.interceptors = List.copyOf(builder.interceptors);
    this.streamInterceptors = List.copyOf(builder.streamInterceptors);
    this.maxStreams = builder.maxStreams;
    this.streamWindow = builder.streamWindow;
    this.streamHeartbeatInterval = builder.streamHeartbeatInterval;
    this.controlToken = builder.controlToken;
  }

  /** The defaults, with a new random server id on each call. */
  public static ServiceServerOptions defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** How service and methods map to topics. */
  public ServiceNaming naming() {
    return naming;
  }

  /**
   * The subscription servers of {@code fullServiceName} share requests with: the one set, else
   * {@link ServiceNaming#serverSubscription}.
   */
  public String serverSubscription(String fullServiceName) {
    return serverSubscription != null
        ? serverSubscription
        : naming.serverSubscription(fullServiceName);
  }

  /** This server's id: multi methods consume with a subscription of their own that ends with it. */
  public String serverId() {
    return serverId;
  }

  /** The most requests of one method handled at once. */
  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /** How long {@code close()} waits for requests in flight. */
  public Duration shutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  /** The interceptors of every RPC method, in order. */
  public List<ServerInterceptor> interceptors() {
    return interceptors;
  }

  /** The interceptors of every stream method, in order. */
  public List<StreamInterceptor> streamInterceptors() {
    return streamInterceptors;
  }

  /** The most streams of one method open at once. */
  public int maxStreams() {
    return maxStreams;
  }

  /** The credit window of stream methods. */
  public int streamWindow() {
    return streamWindow;
  }

  /** The heartbeat interval of stream methods. */
  public Duration streamHeartbeatInterval() {
    return streamHeartbeatInterval;
  }

  /** The token the service's servers answer inspections on the control topic with; null if off. */
  public String controlToken() {
    return controlToken;
  }

  /** Builds {@link ServiceServerOptions}. Not thread-safe. */
  public static final class Builder {
    private ServiceNaming naming = ServiceNaming.defaults();
    private String serverSubscription;
    private String serverId;
    private int maxConcurrentRequests = PulsarRpcServerBuilder.DEFAULT_MAX_CONCURRENT_REQUESTS;
    private Duration shutdownGracePeriod = PulsarRpcServerBuilder.DEFAULT_SHUTDOWN_GRACE_PERIOD;
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private final List<StreamInterceptor> streamInterceptors = new ArrayList<>();
    private int maxStreams = PulsarRpcStreamServerBuilder.DEFAULT_MAX_STREAMS;
    private int streamWindow = PulsarRpcStreamServerBuilder.DEFAULT_WINDOW;
    private Duration streamHeartbeatInterval =
        PulsarRpcStreamServerBuilder.DEFAULT_HEARTBEAT_INTERVAL;
    private String controlToken;

    private Builder() {}

    /** How service and methods map to topics. Default {@link ServiceNaming#defaults()}. */
    public Builder naming(ServiceNaming naming) {
      this.naming = SettingRules.notNull(naming, "naming");
      return this;
    }

    /**
     * The subscription that servers share requests with (single, affinity and topic methods, and
     * streams). Default: {@link ServiceNaming#serverSubscription}; servers with different ones each
     * answer every request.
     */
    public Builder serverSubscription(String serverSubscription) {
      this.serverSubscription = SettingRules.name(serverSubscription, "serverSubscription");
      return this;
    }

    /**
     * This server's id, which ends the subscription of its multi methods. On a durable bus that
     * subscription outlives the server: a stable id (a host name) lets a restarted server take its
     * own back. Default: random.
     */
    public Builder serverId(String serverId) {
      this.serverId = SettingRules.name(serverId, "serverId");
      return this;
    }

    /** The most requests of one method handled at once. Default 256. */
    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests =
          SettingChecks.atLeastOne(maxConcurrentRequests, "maxConcurrentRequests");
      return this;
    }

    /**
     * How long {@code close()} waits for requests in flight; zero closes without waiting, as the
     * core server's setting does. Default 30 s.
     */
    public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
      if (shutdownGracePeriod == null || shutdownGracePeriod.isNegative()) {
        throw new IllegalArgumentException(
            "shutdownGracePeriod must be zero or positive, got " + shutdownGracePeriod);
      }
      this.shutdownGracePeriod = shutdownGracePeriod;
      return this;
    }

    /** Adds an interceptor of every RPC method, after those added before. */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(SettingRules.notNull(interceptor, "interceptor"));
      return this;
    }

    /** Adds an interceptor of every stream method, after those added before. */
    public Builder interceptStreams(StreamInterceptor interceptor) {
      streamInterceptors.add(SettingRules.notNull(interceptor, "interceptor"));
      return this;
    }

    /** The most streams of one method open at once. Default 1 000. */
    public Builder maxStreams(int maxStreams) {
      this.maxStreams = SettingChecks.atLeastOne(maxStreams, "maxStreams");
      return this;
    }

    /** The credit window of stream methods. Default 256. */
    public Builder streamWindow(int streamWindow) {
      this.streamWindow = SettingChecks.atLeastOne(streamWindow, "streamWindow");
      return this;
    }

    /** The heartbeat interval of stream methods. Default 5 s. */
    public Builder streamHeartbeatInterval(Duration interval) {
      this.streamHeartbeatInterval = SettingChecks.positive(interval, "streamHeartbeatInterval");
      return this;
    }

    /**
     * Makes the server of every single, topic, multi and affinity method answer inspection requests
     * of callers with this token on the control topic (see {@code
     * PulsarRpcServerBuilder.controlToken}), so that {@code ServerDirectory} and {@code pulsar-rpc
     * servers} list them. Treat it as a secret. Default: off.
     *
     * @throws IllegalArgumentException when blank or with a line break (it travels as metadata)
     */
    public Builder controlToken(String token) {
      this.controlToken = SettingChecks.controlToken(token);
      return this;
    }

    /** The options. Every setting was checked when it was set. */
    public ServiceServerOptions build() {
      return new ServiceServerOptions(this);
    }
  }
}

package io.pulsarrpc.protobuf;

import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.client.PulsarRpcClientBuilder;
import io.pulsarrpc.client.PulsarRpcStreamClientBuilder;
import io.pulsarrpc.client.SelectionOptions;
import io.pulsarrpc.common.internal.SettingChecks;
import io.pulsarrpc.stream.StreamInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The settings of a generated service client ({@code FooClient.create(..., options)}); each maps
 * onto a setting of the core clients the service client is made of, one per method.
 *
 * <p>Immutable and thread-safe; made by {@link #builder()}, whose setters reject a bad value with
 * an {@link IllegalArgumentException}. {@link #defaults()}: {@link ServiceNaming#defaults()}, a
 * random client id, the core clients' defaults otherwise.
 */
public final class ServiceClientOptions {

  private final ServiceNaming naming;
  private final String clientId;
  private final Duration replyTimeout;
  private final Duration claimWindow;
  private final int maxPendingRequests;
  private final SelectionOptions selection;
  private final List<ClientInterceptor> interceptors;
  private final List<StreamInterceptor> streamInterceptors;
  private final int streamWindow;
  private final Duration streamHeartbeatInterval;

  private ServiceClientOptions(Builder builder) {
    this.naming = builder.naming;
    this.clientId = builder.clientId == null ? newId() : builder.clientId;
    this.replyTimeout = builder.replyTimeout;
    this.claimWindow = builder.claimWindow;
    this.maxPendingRequests = builder.maxPendingRequests;
    this.selection = builder.selection;
    this.interceptors = List.copyOf(builder.interceptors);
    this.streamInterceptors = List.copyOf(builder.streamInterceptors);
    this.streamWindow = builder.streamWindow;
    this.streamHeartbeatInterval = builder.streamHeartbeatInterval;
  }

  /** The defaults, with a new random client id on each call. */
  public static ServiceClientOptions defaults() {
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

  /** This client's id: its reply topics end with it and it is their subscription. */
  public String clientId() {
    return clientId;
  }

  /** The timeout of a call without its own. */
  public Duration replyTimeout() {
    return replyTimeout;
  }

  /**
   * How long a call that needs a claim (a topic call, a multi-call, a call that requires a claim)
   * waits for a server to claim it before it fails with {@code NO_RESPONDERS}.
   */
  public Duration claimWindow() {
    return claimWindow;
  }

  /** The most calls of one method pending at once. */
  public int maxPendingRequests() {
    return maxPendingRequests;
  }

  /** How affinity methods pick their server when a call's options say nothing. */
  public SelectionOptions selection() {
    return selection;
  }

  /** The interceptors of every RPC method's calls, in order. */
  public List<ClientInterceptor> interceptors() {
    return interceptors;
  }

  /** The interceptors of every stream method, in order. */
  public List<StreamInterceptor> streamInterceptors() {
    return streamInterceptors;
  }

  /** The credit window of stream methods. */
  public int streamWindow() {
    return streamWindow;
  }

  /** The heartbeat interval of stream methods. */
  public Duration streamHeartbeatInterval() {
    return streamHeartbeatInterval;
  }

  static String newId() {
    return UUID.randomUUID().toString().substring(0, 13);
  }

  /** Builds {@link ServiceClientOptions}. Not thread-safe. */
  public static final class Builder {
    private ServiceNaming naming = ServiceNaming.defaults();
    private String clientId;
    private Duration replyTimeout = PulsarRpcClientBuilder.DEFAULT_REPLY_TIMEOUT;
    private Duration claimWindow = PulsarRpcClientBuilder.DEFAULT_CLAIM_WINDOW;
    private int maxPendingRequests = PulsarRpcClientBuilder.DEFAULT_MAX_PENDING_REQUESTS;
    private SelectionOptions selection = SelectionOptions.builder().build();
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private final List<StreamInterceptor> streamInterceptors = new ArrayList<>();
    private int streamWindow = PulsarRpcStreamClientBuilder.DEFAULT_WINDOW;
    private Duration streamHeartbeatInterval =
        PulsarRpcStreamClientBuilder.DEFAULT_HEARTBEAT_INTERVAL;

    private Builder() {}

    /** How service and methods map to topics. Default {@link ServiceNaming#defaults()}. */
    public Builder naming(ServiceNaming naming) {
      this.naming = SettingRules.notNull(naming, "naming");
      return this;
    }

    /**
     * This client's id: its reply topics end with it, and it names their subscriptions, so it must
     * be unique among the live clients of a service. Default: random.
     */
    public Builder clientId(String clientId) {
      this.clientId = SettingRules.name(clientId, "clientId");
      return this;
    }

    /** The timeout of a call without its own. Default 30 s. */
    public Builder replyTimeout(Duration replyTimeout) {
      this.replyTimeout = SettingChecks.positive(replyTimeout, "replyTimeout");
      return this;
    }

    /**
     * How long a call that needs a claim waits for one: a topic call, a multi-call ({@code
     * requestAll}), or a call made with {@code RequestOptions.withClaimRequired()}. With no claim
     * by then the call fails with {@code NO_RESPONDERS}; a multi-call also waits up to this long
     * for the servers that {@code RequestOptions.withExpectedServers} names. Default 2 s, as the
     * core client's {@code claimWindow}.
     */
    public Builder claimWindow(Duration claimWindow) {
      this.claimWindow = SettingChecks.positive(claimWindow, "claimWindow");
      return this;
    }

    /** The most calls of one method pending at once. Default 100 000. */
    public Builder maxPendingRequests(int maxPendingRequests) {
      this.maxPendingRequests = SettingChecks.atLeastOne(maxPendingRequests, "maxPendingRequests");
      return this;
    }

    /**
     * How affinity methods pick their server when a call's options carry no selection. Default:
     * {@code SelectionOptions.builder().build()}.
     */
    public Builder selection(SelectionOptions selection) {
      this.selection = SettingRules.notNull(selection, "selection");
      return this;
    }

    /** Adds an interceptor of every RPC method's calls, after those added before. */
    public Builder intercept(ClientInterceptor interceptor) {
      interceptors.add(SettingRules.notNull(interceptor, "interceptor"));
      return this;
    }

    /** Adds an interceptor of every stream method, after those added before. */
    public Builder interceptStreams(StreamInterceptor interceptor) {
      streamInterceptors.add(SettingRules.notNull(interceptor, "interceptor"));
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

    /** The options. Every setting was checked when it was set. */
    public ServiceClientOptions build() {
      return new ServiceClientOptions(this);
    }
  }
}

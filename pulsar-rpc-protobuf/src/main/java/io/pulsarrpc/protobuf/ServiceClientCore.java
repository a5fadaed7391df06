package io.pulsarrpc.protobuf;

import com.google.protobuf.GeneratedMessageV3;
import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.PulsarRpcClientBuilder;
import io.pulsarrpc.client.PulsarRpcStreamClient;
import io.pulsarrpc.client.PulsarRpcStreamClientBuilder;
import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.SubscribeOptions;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.inspect.ClientInspection;
import io.pulsarrpc.stream.StreamInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * The core clients behind one generated service client, one per method, made with the service's
 * {@link ServiceNaming names}, {@link ProtobufSchemas schemas}, {@link ServiceClientOptions
 * settings} and API version. Generated code uses it; a hand-written client may too.
 *
 * <p>Thread-safe. The parts are made when the generated client is made (so a bus that refuses a
 * reply subscription fails {@code create} at once) and closed together by {@link #closeAsync()}. A
 * core made over a {@link PulsarClient} closes its own bus on that client, never the client.
 */
public final class ServiceClientCore implements AutoCloseable {

  /**
   * Makes a generated client from its core, taking the core clients it needs.
   *
   * @param <C> the generated client
   */
  @FunctionalInterface
  public interface Stub<C> {
    /** The generated client over {@code core}. */
    C make(ServiceClientCore core) throws PulsarRpcClientException;
  }

  private final MessageBus bus;
  private final ServiceClientOptions options;
  private final String service;
  private final int apiVersion;
  private final OwnedParts parts = new OwnedParts();
  // Kept after close: a core client answers inspect() at any time.
  private final List<PulsarRpcClient<?, ?>> inspectable = new CopyOnWriteArrayList<>();

  private ServiceClientCore(
      MessageBus bus, ServiceClientOptions options, String service, int apiVersion) {
    this.bus = bus;
    this.options = options;
    this.service = service;
    this.apiVersion = apiVersion;
  }

  /**
   * Makes the generated client {@code stub} over Pulsar; when making it fails, closes what was made
   * and rethrows.
   *
   * @param service the protobuf full name of the service, {@code package.Service}
   * @param apiVersion the service's current API version; 0 for none
   * @param stub makes the generated client from the core
   * @throws IllegalArgumentException when an argument is null or a name not acceptable
   * @throws PulsarRpcClientException when the bus refuses a reply subscription
   */
  public static <C> C create(
      PulsarClient pulsarClient,
      ServiceClientOptions options,
      String service,
      int apiVersion,
      Stub<C> stub)
      throws PulsarRpcClientException {
    SettingRules.notNull(pulsarClient, "pulsarClient");
    MessageBus bus = PulsarMessageBus.create(pulsarClient);
    ServiceClientCore core = new ServiceClientCore(bus, checked(options), service, apiVersion);
    core.parts.add(bus, bus::closeAsync);
    return core.make(stub);
  }

  /**
   * Makes the generated client {@code stub} over {@code bus}, which the client does not close;
   * otherwise as {@link #create(PulsarClient, ServiceClientOptions, String, int, Stub)}.
   */
  public static <C> C create(
      MessageBus bus, ServiceClientOptions options, String service, int apiVersion, Stub<C> stub)
      throws PulsarRpcClientException {
    SettingRules.notNull(bus, "bus");
    return new ServiceClientCore(bus, checked(options), service, apiVersion).make(stub);
  }

  private static ServiceClientOptions checked(ServiceClientOptions options) {
    return SettingRules.notNull(options, "options");
  }

  private <C> C make(Stub<C> stub) throws PulsarRpcClientException {
    // Checks the service name before any part is made.
    naming().serverSubscription(service);
    try {
      return stub.make(this);
    } catch (RuntimeException | PulsarRpcClientException e) {
      parts.closeAll().exceptionally(ignored -> null).join();
      throw e;
    }
  }

  /** The options the client was made with. */
  public ServiceClientOptions options() {
    return options;
  }

  /** The API version every call of this client carries; 0 when the service declares none. */
  public int apiVersion() {
    return apiVersion;
  }

  /** The core client of RPC method {@code method}: single, multi, affinity or topic. */
  public <T extends GeneratedMessageV3, V extends GeneratedMessageV3> PulsarRpcClient<T, V> client(
      String method, Class<T> requestType, Class<V> replyType) throws PulsarRpcClientException {
    PulsarRpcClientBuilder<T, V> builder =
        PulsarRpcClient.builder(ProtobufSchemas.of(requestType), ProtobufSchemas.of(replyType))
            .requestTopic(naming().requestTopic(service, method))
            .replyTopic(naming().replyTopic(service, method, options.clientId()))
            .replySubscription(options.clientId())
            .replyTimeout(options.replyTimeout())
            .claimWindow(options.claimWindow())
            .maxPendingRequests(options.maxPendingRequests());
    for (ClientInterceptor interceptor : options.interceptors()) {
      builder.intercept(interceptor);
    }
    withApiVersion(builder);
    PulsarRpcClient<T, V> client = builder.build(bus);
    inspectable.add(client);
    return parts.add(client, client::closeAsync);
  }

  /** The subscriber of subscription method {@code method}. */
  public <U extends GeneratedMessageV3> PulsarRpcSubscriber<U> subscriber(
      String method, Class<U> updateType) {
    PulsarRpcSubscriber<U> subscriber =
        PulsarRpcSubscriber.builder(ProtobufSchemas.of(updateType))
            .updateTopic(naming().updateTopic(service, method))
            .build(bus);
    return parts.add(subscriber, subscriber::closeAsync);
  }

  /** The stream client of stream method {@code method}. */
  public <S extends GeneratedMessageV3, R extends GeneratedMessageV3>
      PulsarRpcStreamClient<S, R> streamClient(
          String method, Class<S> sendType, Class<R> receiveType) {
    PulsarRpcStreamClientBuilder<S, R> builder =
        PulsarRpcStreamClient.builder(ProtobufSchemas.of(sendType), ProtobufSchemas.of(receiveType))
            .requestTopic(naming().requestTopic(service, method))
            .replyTopic(naming().replyTopic(service, method, options.clientId()))
            .window(options.streamWindow())
            .heartbeatInterval(options.streamHeartbeatInterval());
    for (StreamInterceptor interceptor : options.streamInterceptors()) {
      builder.intercept(interceptor);
    }
    withApiVersion(builder);
    PulsarRpcStreamClient<S, R> client = builder.build(bus);
    return parts.add(client, client::closeAsync);
  }

  /** {@code callOptions} of an affinity call: the client's selection unless they carry one. */
  public RequestOptions affinity(RequestOptions callOptions) {
    SettingRules.notNull(callOptions, "options");
    return callOptions.selection().isPresent()
        ? callOptions
        : callOptions.withSelection(options.selection());
  }

  /**
   * {@code subscribeOptions} of a queue subscription: {@link ServiceNaming#DEFAULT_QUEUE_GROUP}
   * unless they name a group.
   */
  public static SubscribeOptions queue(SubscribeOptions subscribeOptions) {
    SettingRules.notNull(subscribeOptions, "options");
    return subscribeOptions.queue() != null
        ? subscribeOptions
        : subscribeOptions.withQueue(ServiceNaming.DEFAULT_QUEUE_GROUP);
  }

  private ServiceNaming naming() {
    return options.naming();
  }

  // API versions: the single place where the service's version reaches the core builders.
  private void withApiVersion(PulsarRpcClientBuilder<?, ?> builder) {
    if (apiVersion > 0) {
      builder.apiVersion(apiVersion);
    }
  }

  private void withApiVersion(PulsarRpcStreamClientBuilder<?, ?> builder) {
    if (apiVersion > 0) {
      builder.apiVersion(apiVersion);
    }
  }

  /**
   * A snapshot of the pending calls of each core client this core made (one per single, topic,
   * multi or affinity method, in the order the generated client made them: the .proto's method
   * order), as {@link PulsarRpcClient#inspect()} takes it: cheap and weakly consistent. Subscribers
   * and stream clients are not in it: they offer no inspection.
   *
   * @return an unmodifiable list, empty when the service has no such method
   */
  public List<ClientInspection> inspect() {
    List<ClientInspection> inspections = new ArrayList<>(inspectable.size());
    for (PulsarRpcClient<?, ?> client : inspectable) {
      inspections.add(client.inspect());
    }
    return List.copyOf(inspections);
  }

  /** Closes every core client of the service client (and its own bus), with the first failure. */
  public CompletableFuture<Void> closeAsync() {
    return parts.closeAll();
  }

  /** Blocking {@link #closeAsync()}. */
  @Override
  public void close() {
    BlockingCalls.await(closeAsync());
  }
}

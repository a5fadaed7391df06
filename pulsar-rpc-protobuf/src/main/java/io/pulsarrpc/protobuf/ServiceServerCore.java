package io.pulsarrpc.protobuf;

import com.google.protobuf.GeneratedMessageV3;
import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.server.PulsarRpcPublisher;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.PulsarRpcServerBuilder;
import io.pulsarrpc.server.PulsarRpcStreamServer;
import io.pulsarrpc.server.PulsarRpcStreamServerBuilder;
import io.pulsarrpc.server.RequestHandler;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.server.StreamHandler;
import io.pulsarrpc.stream.StreamInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * The core servers and publishers behind one generated service server, one per method, made with
 * the service's {@link ServiceNaming names}, {@link ProtobufSchemas schemas}, {@link
 * ServiceServerOptions settings} and API versions. Generated code uses it; a hand-written server
 * may too.
 *
 * <p>Thread-safe. The parts start when the generated server is made and stop together: {@link
 * #closeAsync()} lets calls in flight finish (each server's grace period), {@link #kill()} does
 * not. A core made over a {@link PulsarClient} closes its own bus on that client, never the client.
 */
public final class ServiceServerCore implements AutoCloseable {

  /**
   * Makes a generated server from its core, starting the core servers it needs.
   *
   * @param <S> the generated server
   */
  @FunctionalInterface
  public interface Stub<S> {
    /** The generated server over {@code core}. */
    S make(ServiceServerCore core) throws PulsarRpcServerException;
  }

  private final MessageBus bus;
  private final ServiceServerOptions options;
  private final String service;
  private final int minimumVersion;
  private final int currentVersion;
  private final OwnedParts parts = new OwnedParts();
  private final List<Runnable> killers = new ArrayList<>();
  // Kept after close and kill: a core server answers inspect() at any time.
  private final List<PulsarRpcServer<?, ?>> inspectable = new CopyOnWriteArrayList<>();

  private ServiceServerCore(
      MessageBus bus,
      ServiceServerOptions options,
      String service,
      int minimumVersion,
      int currentVersion) {
    this.bus = bus;
    this.options = options;
    this.service = service;
    this.minimumVersion = minimumVersion;
    this.currentVersion = currentVersion;
  }

  /**
   * Makes the generated server {@code stub} over Pulsar; when making it fails, closes what was made
   * and rethrows.
   *
   * @param service the protobuf full name of the service, {@code package.Service}
   * @param minimumVersion the oldest client version answered; 0 when the service declares none
   * @param currentVersion the service's current version; 0 when it declares none
   * @param stub makes the generated server from the core
   * @throws IllegalArgumentException when an argument is null or a name not acceptable
   * @throws PulsarRpcServerException when the bus refuses a request subscription or a producer
   */
  public static <S> S create(
      PulsarClient pulsarClient,
      ServiceServerOptions options,
      String service,
      int minimumVersion,
      int currentVersion,
      Stub<S> stub)
      throws PulsarRpcServerException {
    SettingRules.notNull(pulsarClient, "pulsarClient");
    MessageBus bus = PulsarMessageBus.create(pulsarClient);
    ServiceServerCore core =
        new ServiceServerCore(bus, checked(options), service, minimumVersion, currentVersion);
    core.parts.add(bus, bus::closeAsync);
    return core.make(stub);
  }

  /**
   * Makes the generated server {@code stub} over {@code bus}, which the server does not close;
   * otherwise as {@link #create(PulsarClient, ServiceServerOptions, String, int, int, Stub)}.
   */
  public static <S> S create(
      MessageBus bus,
      ServiceServerOptions options,
      String service,
      int minimumVersion,
      int currentVersion,
      Stub<S> stub)
      throws PulsarRpcServerException {
    SettingRules.notNull(bus, "bus");
    return new ServiceServerCore(bus, checked(options), service, minimumVersion, currentVersion)
        .make(stub);
  }

  private static ServiceServerOptions checked(ServiceServerOptions options) {
    return SettingRules.notNull(options, "options");
  }

  private <S> S make(Stub<S> stub) throws PulsarRpcServerException {
    // Checks the service name before any part is made.
    options.naming().serverSubscription(service);
    try {
      return stub.make(this);
    } catch (RuntimeException | PulsarRpcServerException e) {
      kill();
      throw e;
    }
  }

  /** The options the server was made with. */
  public ServiceServerOptions options() {
    return options;
  }

  /**
   * The server of single or topic method {@code method}: the servers of the service share its
   * requests (they consume with the {@linkplain ServiceServerOptions#serverSubscription server
   * subscription}).
   *
   * @param rollBack undoes a call whose handler completed after its deadline, as the {@code
   *     rollBackFunction} of {@link PulsarRpcServerBuilder#build(MessageBus, RequestHandler,
   *     BiConsumer)}
   */
  public <T extends GeneratedMessageV3, V extends GeneratedMessageV3> PulsarRpcServer<T, V> server(
      String method,
      Class<T> requestType,
      Class<V> replyType,
      RequestHandler<T, V> handler,
      BiConsumer<String, T> rollBack)
      throws PulsarRpcServerException {
    return start(
        builder(method, requestType, replyType)
            .requestSubscription(options.serverSubscription(service)),
        handler,
        rollBack);
  }

  /**
   * The server of multi method {@code method}: every server answers each request, so each consumes
   * with a {@linkplain ServiceNaming#instanceSubscription subscription of its own}. {@code
   * rollBack} as in {@link #server}.
   */
  public <T extends GeneratedMessageV3, V extends GeneratedMessageV3>
      PulsarRpcServer<T, V> everyServer(
          String method,
          Class<T> requestType,
          Class<V> replyType,
          RequestHandler<T, V> handler,
          BiConsumer<String, T> rollBack)
          throws PulsarRpcServerException {
    return start(
        builder(method, requestType, replyType)
            .requestSubscription(
                options.naming().instanceSubscription(service, options.serverId())),
        handler,
        rollBack);
  }

  /**
   * The server of affinity method {@code method}, which offers {@code affinity}'s score. {@code
   * rollBack} as in {@link #server}.
   */
  public <T extends GeneratedMessageV3, V extends GeneratedMessageV3>
      PulsarRpcServer<T, V> affinityServer(
          String method,
          Class<T> requestType,
          Class<V> replyType,
          RequestHandler<T, V> handler,
          BiConsumer<String, T> rollBack,
          ToDoubleFunction<T> affinity)
          throws PulsarRpcServerException {
    return start(
        builder(method, requestType, replyType)
            .requestSubscription(options.serverSubscription(service))
            .affinity(affinity),
        handler,
        rollBack);
  }

  /** The stream server of stream method {@code method}. */
  public <R extends GeneratedMessageV3, S extends GeneratedMessageV3>
      PulsarRpcStreamServer<R, S> streamServer(
          String method, Class<R> receiveType, Class<S> sendType, StreamHandler<R, S> handler)
          throws PulsarRpcServerException {
    PulsarRpcStreamServerBuilder<R, S> builder =
        PulsarRpcStreamServer.builder(ProtobufSchemas.of(receiveType), ProtobufSchemas.of(sendType))
            .requestTopic(options.naming().requestTopic(service, method))
            .subscription(options.serverSubscription(service))
            .handler(handler)
            .maxStreams(options.maxStreams())
            .window(options.streamWindow())
            .heartbeatInterval(options.streamHeartbeatInterval());
    for (StreamInterceptor interceptor : options.streamInterceptors()) {
      builder.intercept(interceptor);
    }
    withApiVersions(builder);
    PulsarRpcStreamServer<R, S> server = builder.build(bus);
    addKiller(server::kill);
    return parts.add(server, server::closeAsync);
  }

  /** The publisher of subscription method {@code method}. */
  public <U extends GeneratedMessageV3> PulsarRpcPublisher<U> publisher(
      String method, Class<U> updateType) throws PulsarRpcServerException {
    PulsarRpcPublisher<U> publisher =
        PulsarRpcPublisher.builder(ProtobufSchemas.of(updateType))
            .updateTopic(options.naming().updateTopic(service, method))
            .build(bus);
    return parts.add(publisher, publisher::closeAsync);
  }

  private <T extends GeneratedMessageV3, V extends GeneratedMessageV3>
      PulsarRpcServerBuilder<T, V> builder(
          String method, Class<T> requestType, Class<V> replyType) {
    PulsarRpcServerBuilder<T, V> builder =
        PulsarRpcServer.builder(ProtobufSchemas.of(requestType), ProtobufSchemas.of(replyType))
            .requestTopic(options.naming().requestTopic(service, method))
            .maxConcurrentRequests(options.maxConcurrentRequests())
            .shutdownGracePeriod(options.shutdownGracePeriod());
    for (ServerInterceptor interceptor : options.interceptors()) {
      builder.intercept(interceptor);
    }
    if (options.controlToken() != null) {
      builder.controlToken(options.controlToken());
    }
    withApiVersions(builder);
    return builder;
  }

  private <T, V> PulsarRpcServer<T, V> start(
      PulsarRpcServerBuilder<T, V> builder,
      RequestHandler<T, V> handler,
      BiConsumer<String, T> rollBack)
      throws PulsarRpcServerException {
    PulsarRpcServer<T, V> server = builder.build(bus, handler, rollBack);
    addKiller(server::kill);
    inspectable.add(server);
    return parts.add(server, server::closeAsync);
  }

  // API versions: the single place where the service's versions reach the core builders.
  private void withApiVersions(PulsarRpcServerBuilder<?, ?> builder) {
    if (currentVersion > 0) {
      builder.apiVersions(minimumVersion, currentVersion);
    }
  }

  private void withApiVersions(PulsarRpcStreamServerBuilder<?, ?> builder) {
    if (currentVersion > 0) {
      builder.apiVersions(minimumVersion, currentVersion);
    }
  }

  private synchronized void addKiller(Runnable killer) {
    killers.add(killer);
  }

  /**
   * A snapshot of each core server of a single, topic, multi or affinity method, in the order the
   * generated server made them (the .proto's method order), as {@link PulsarRpcServer#inspect()}
   * takes it: cheap, weakly consistent, without a thread dump. Stream servers and publishers are
   * not in it: they offer no inspection. Works at any time, also while or after the server closes.
   *
   * @return an unmodifiable list, empty when the service has no such method
   */
  public List<ServerInspection> inspect() {
    List<ServerInspection> inspections = new ArrayList<>(inspectable.size());
    for (PulsarRpcServer<?, ?> server : inspectable) {
      inspections.add(server.inspect());
    }
    return List.copyOf(inspections);
  }

  /** Closes every part: servers let their calls in flight finish; fails with the first failure. */
  public CompletableFuture<Void> closeAsync() {
    return parts.closeAll();
  }

  /** Blocking {@link #closeAsync()}. */
  @Override
  public void close() {
    BlockingCalls.await(closeAsync());
  }

  /**
   * Stops every server at once, without waiting for calls in flight (their requests stay
   * unacknowledged, so a durable bus redelivers them to another server), then closes the rest.
   */
  public void kill() {
    List<Runnable> toKill;
    synchronized (this) {
      toKill = new ArrayList<>(killers);
      killers.clear();
    }
    for (Runnable killer : toKill) {
      killer.run();
    }
    parts.closeAll().exceptionally(ignored -> null).join();
  }
}

package io.pulsarrpc.spring.boot.client;

import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.PulsarRpcClientBuilder;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.spring.boot.PulsarRpcInterceptors;
import io.pulsarrpc.spring.boot.PulsarRpcProperties;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

/**
 * Builds core {@link PulsarRpcClient}s on the application's {@code PulsarClient}, with the
 * starter's defaults applied, for example:
 *
 * <pre>{@code
 * @Bean
 * PulsarRpcClient<String, String> orders(PulsarRpcClients clients) throws PulsarRpcClientException {
 *   return clients.create(Schema.STRING, Schema.STRING, "persistent://public/default/orders");
 * }
 * }</pre>
 *
 * <p><b>Defaults</b> of each client: reply timeout and pending bound from {@code
 * pulsar-rpc.client.*}; reply subscription {@code <client id>-<n>}, where {@code n} counts the
 * clients built here from 1, and reply topic {@code <request topic>.reply.<client id>-<n>}: unique
 * per client and per application instance, and never those of a generated client, which end with
 * the bare client id; the interceptors of {@link PulsarRpcInterceptors}. A customizer may change
 * any of these; it runs last.
 *
 * <p>Every client built here is reported by health and inspection under {@code client:<request
 * topic>} ({@code client:<request topic>#2} for a second client of the same topic, and so on) and
 * closed when the application context closes, even when the application closed it before.
 * Thread-safe.
 */
public final class PulsarRpcClients implements AutoCloseable {

  private final PulsarClient pulsarClient;
  private final PulsarRpcProperties.Client settings;
  private final String clientId;
  private final PulsarRpcInterceptors interceptors;
  private final PulsarRpcRegistry registry;
  private final Map<String, Integer> clientsPerTopic = new ConcurrentHashMap<>();
  private final AtomicInteger clientsBuilt = new AtomicInteger();
  private final List<Built> built = new ArrayList<>();

  PulsarRpcClients(
      PulsarClient pulsarClient,
      PulsarRpcProperties.Client settings,
      String clientId,
      PulsarRpcInterceptors interceptors,
      PulsarRpcRegistry registry) {
    this.pulsarClient = pulsarClient;
    this.settings = settings;
    this.clientId = clientId;
    this.interceptors = interceptors;
    this.registry = registry;
  }

  /**
   * This application instance's client id: {@code pulsar-rpc.client.client-id}, or the default
   * described there. Generated clients use it too.
   */
  public String clientId() {
    return clientId;
  }

  /**
   * Builds and starts a client of {@code requestTopic} with the defaults.
   *
   * @throws IllegalArgumentException when an argument is null or blank
   * @throws PulsarRpcClientException when the broker refuses the reply subscription
   */
  public <T, V> PulsarRpcClient<T, V> create(
      Schema<T> requestSchema, Schema<V> replySchema, String requestTopic)
      throws PulsarRpcClientException {
    return create(requestSchema, replySchema, requestTopic, builder -> {});
  }

  /**
   * Builds and starts a client of {@code requestTopic} with the defaults, then whatever {@code
   * customizer} sets on the builder (API version, claim window, callbacks, other reply topic...).
   *
   * @throws IllegalArgumentException when an argument is null or blank, or the builder's settings
   *     are wrong (the message names them)
   * @throws PulsarRpcClientException when the broker refuses the reply subscription
   */
  public <T, V> PulsarRpcClient<T, V> create(
      Schema<T> requestSchema,
      Schema<V> replySchema,
      String requestTopic,
      Consumer<PulsarRpcClientBuilder<T, V>> customizer)
      throws PulsarRpcClientException {
    if (requestTopic == null || requestTopic.isBlank()) {
      throw new IllegalArgumentException("requestTopic must not be blank");
    }
    if (customizer == null) {
      throw new IllegalArgumentException("customizer must not be null");
    }
    String subscription = clientId + "-" + clientsBuilt.incrementAndGet();
    PulsarRpcClientBuilder<T, V> builder =
        PulsarRpcClient.builder(requestSchema, replySchema)
            .requestTopic(requestTopic)
            .replyTopic(requestTopic + ".reply." + subscription)
            .replySubscription(subscription)
            .replyTimeout(settings.getReplyTimeout())
            .claimWindow(settings.getClaimWindow())
            .maxPendingRequests(settings.getMaxPendingRequests());
    for (ClientInterceptor interceptor : interceptors.client(requestTopic)) {
      builder.intercept(interceptor);
    }
    customizer.accept(builder);
    PulsarRpcClient<T, V> client = builder.build(pulsarClient);
    int sameTopic = clientsPerTopic.merge(requestTopic, 1, Integer::sum);
    String name = "client:" + requestTopic + (sameTopic == 1 ? "" : "#" + sameTopic);
    synchronized (built) {
      built.add(new Built(name, client));
    }
    registry.addClient(name, () -> List.of(client.inspect()));
    return client;
  }

  /** Closes every client built here and removes them from the registry. Idempotent. */
  @Override
  public void close() {
    List<Built> toClose;
    synchronized (built) {
      toClose = List.copyOf(built);
      built.clear();
    }
    for (Built each : toClose) {
      registry.remove(each.name());
      each.client().close();
    }
  }

  private record Built(String name, PulsarRpcClient<?, ?> client) {}
}

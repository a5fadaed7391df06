package io.pulsarrpc.spring.boot.actuate;

import io.pulsarrpc.inspect.ClientInspection;
import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * The {@code pulsarRpc} health contributor: one indicator per server and client of the {@link
 * PulsarRpcRegistry}, read from it on each request, so servers started after the contributor was
 * made are reported too. An entry is UP when every part of it is connected to its broker, DOWN
 * otherwise, and UNKNOWN when it has no inspectable part (stream and update methods have none); its
 * details are the topics, subscription, calls in flight (servers) or pending (clients) and the
 * connection state of each part.
 */
final class RegistryHealth implements CompositeHealthContributor {

  private final PulsarRpcRegistry registry;

  RegistryHealth(PulsarRpcRegistry registry) {
    this.registry = registry;
  }

  @Override
  public HealthContributor getContributor(String name) {
    if (registry.serverNames().contains(name)) {
      return server(name);
    }
    return registry.clientNames().contains(name) ? client(name) : null;
  }

  @Override
  public Iterator<NamedContributor<HealthContributor>> iterator() {
    List<NamedContributor<HealthContributor>> contributors = new ArrayList<>();
    registry
        .serverNames()
        .forEach(name -> contributors.add(NamedContributor.of(name, server(name))));
    registry
        .clientNames()
        .forEach(name -> contributors.add(NamedContributor.of(name, client(name))));
    return contributors.iterator();
  }

  private HealthIndicator server(String name) {
    return indicator(
        () -> registry.inspectServer(name),
        ServerInspection::connected,
        part ->
            Map.of(
                "topics", part.requestTopics(),
                "subscription", part.subscription(),
                "inFlight", part.counters().inFlight()));
  }

  private HealthIndicator client(String name) {
    return indicator(
        () -> registry.inspectClient(name),
        ClientInspection::connected,
        part ->
            Map.of(
                "requestTopic", part.requestTopic(),
                "replyTopic", part.replyTopic(),
                "subscription", part.replySubscription(),
                "pending", part.pendingCalls().size()));
  }

  /** UP when every part is connected; the details of each part, with its connection state. */
  private static <P> HealthIndicator indicator(
      Supplier<List<P>> inspect,
      Predicate<P> isConnected,
      Function<P, Map<String, Object>> detailsOf) {
    return () -> {
      List<Map<String, Object>> parts = new ArrayList<>();
      boolean connected = true;
      for (P part : inspect.get()) {
        Map<String, Object> details = new LinkedHashMap<>(detailsOf.apply(part));
        details.put("connected", isConnected.test(part));
        parts.add(details);
        connected &= isConnected.test(part);
      }
      return health(connected, parts);
    };
  }

  private static Health health(boolean connected, List<Map<String, Object>> parts) {
    if (parts.isEmpty()) {
      // Nothing to read a connection from (a generated service of streams and updates only):
      // neither up nor down, and left out of the overall status.
      return Health.unknown().withDetail("parts", parts).build();
    }
    Health.Builder health = connected ? Health.up() : Health.down();
    // One part (a core server or client) reads best flat; a generated one lists its methods.
    if (parts.size() == 1) {
      health.withDetails(parts.get(0));
    } else {
      health.withDetail("parts", parts);
    }
    return health.build();
  }
}

package io.pulsarrpc.spring.boot.observability;

import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.spring.boot.PulsarRpcInterceptors;
import io.pulsarrpc.stream.StreamInterceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The starter's {@link PulsarRpcInterceptors}: the instrumentation first, then the application's
 * interceptor beans, each list in the order it was given. Immutable.
 */
final class OrderedInterceptors implements PulsarRpcInterceptors {

  private final List<Instrumentation> instrumentation;
  private final List<ServerInterceptor> servers;
  private final List<ClientInterceptor> clients;
  private final List<StreamInterceptor> streams;

  OrderedInterceptors(
      List<Instrumentation> instrumentation,
      List<ServerInterceptor> servers,
      List<ClientInterceptor> clients,
      List<StreamInterceptor> streams) {
    this.instrumentation = List.copyOf(instrumentation);
    this.servers = List.copyOf(servers);
    this.clients = List.copyOf(clients);
    this.streams = List.copyOf(streams);
  }

  @Override
  public List<ServerInterceptor> server() {
    List<ServerInterceptor> result = new ArrayList<>();
    instrumentation.forEach(each -> result.add(each.server()));
    result.addAll(servers);
    return result;
  }

  @Override
  public List<ClientInterceptor> client(String requestTopic) {
    List<ClientInterceptor> result = new ArrayList<>();
    instrumentation.forEach(each -> result.add(each.client().apply(requestTopic)));
    result.addAll(clients);
    return result;
  }

  @Override
  public List<StreamInterceptor> stream() {
    List<StreamInterceptor> result = new ArrayList<>();
    instrumentation.forEach(each -> result.add(each.stream()));
    result.addAll(streams);
    return result;
  }
}

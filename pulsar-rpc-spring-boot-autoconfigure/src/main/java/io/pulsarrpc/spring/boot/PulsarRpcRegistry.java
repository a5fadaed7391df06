package io.pulsarrpc.spring.boot;

import io.pulsarrpc.inspect.ClientInspection;
import io.pulsarrpc.inspect.ServerInspection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * Everything the starter built and is running: servers and clients by name, each with a way to
 * inspect it. The health contributor {@code pulsarRpc} and the {@code pulsarrpc} actuator endpoint
 * report what is here.
 *
 * <p>Names: {@code <bean>.<method>} for a {@code @PulsarRpcHandler} method, the implementation's
 * bean name for a generated server, the bean name for a generated client, and {@code
 * client:<request topic>} for a client built by {@code PulsarRpcClients}. Register what you build
 * yourself to have it reported too; an entry goes away when its server or client is closed by the
 * starter, or by {@link #remove}.
 *
 * <p>Thread-safe. Inspecting is as cheap as the inspections it calls; no lock is held meanwhile.
 */
public final class PulsarRpcRegistry {

  private final Map<String, Supplier<List<ServerInspection>>> servers =
      new ConcurrentSkipListMap<>();
  private final Map<String, Supplier<List<ClientInspection>>> clients =
      new ConcurrentSkipListMap<>();

  /**
   * Adds a server, or replaces the one of that name.
   *
   * @param inspect returns a snapshot of each of the server's parts (one per method for a generated
   *     server)
   */
  public void addServer(String name, Supplier<List<ServerInspection>> inspect) {
    servers.put(checked(name), notNull(inspect));
  }

  /**
   * Adds a client, or replaces the one of that name.
   *
   * @param inspect returns a snapshot of each of the client's parts (one per method for a generated
   *     client)
   */
  public void addClient(String name, Supplier<List<ClientInspection>> inspect) {
    clients.put(checked(name), notNull(inspect));
  }

  /** Removes the server or client of that name, if any. */
  public void remove(String name) {
    servers.remove(name);
    clients.remove(name);
  }

  /** The names of the servers, sorted. */
  public List<String> serverNames() {
    return List.copyOf(servers.keySet());
  }

  /** The names of the clients, sorted. */
  public List<String> clientNames() {
    return List.copyOf(clients.keySet());
  }

  /** A snapshot of the server of that name, or an empty list when there is none. */
  public List<ServerInspection> inspectServer(String name) {
    Supplier<List<ServerInspection>> inspect = servers.get(name);
    return inspect == null ? List.of() : inspect.get();
  }

  /** A snapshot of the client of that name, or an empty list when there is none. */
  public List<ClientInspection> inspectClient(String name) {
    Supplier<List<ClientInspection>> inspect = clients.get(name);
    return inspect == null ? List.of() : inspect.get();
  }

  /** A snapshot of every server, by name, sorted. */
  public Map<String, List<ServerInspection>> inspectServers() {
    Map<String, List<ServerInspection>> result = new LinkedHashMap<>();
    servers.forEach((name, inspect) -> result.put(name, inspect.get()));
    return result;
  }

  /** A snapshot of every client, by name, sorted. */
  public Map<String, List<ClientInspection>> inspectClients() {
    Map<String, List<ClientInspection>> result = new LinkedHashMap<>();
    clients.forEach((name, inspect) -> result.put(name, inspect.get()));
    return result;
  }

  private static String checked(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return name;
  }

  private static <T> T notNull(T inspect) {
    if (inspect == null) {
      throw new IllegalArgumentException("inspect must not be null");
    }
    return inspect;
  }
}

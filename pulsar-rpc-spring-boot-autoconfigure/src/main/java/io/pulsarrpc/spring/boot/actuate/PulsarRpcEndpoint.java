package io.pulsarrpc.spring.boot.actuate;

import io.pulsarrpc.inspect.ClientInspection;
import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code pulsarrpc} actuator endpoint: the inspections of every server and client the starter
 * built (see {@link PulsarRpcRegistry}), the same values the {@code pulsar-rpc servers} command
 * shows. {@code GET /actuator/pulsarrpc} returns them; {@code GET /actuator/pulsarrpc/threads} adds
 * a dump of the JVM's threads, to see what the handlers of calls in flight are doing. Expose it
 * like any endpoint ({@code management.endpoints.web.exposure.include=pulsarrpc}).
 *
 * <p>Thread-safe; each read takes fresh snapshots without holding a lock the servers need.
 */
@Endpoint(id = "pulsarrpc")
public class PulsarRpcEndpoint {

  /** The selector of the read operation that adds a thread dump. */
  public static final String THREADS = "threads";

  private final PulsarRpcRegistry registry;

  /** An endpoint over {@code registry}. */
  public PulsarRpcEndpoint(PulsarRpcRegistry registry) {
    this.registry = registry;
  }

  /** The inspections, without a thread dump. */
  @ReadOperation
  public Inspections inspections() {
    return new Inspections(registry.inspectServers(), registry.inspectClients(), null);
  }

  /**
   * The inspections with a thread dump when {@code detail} is {@value #THREADS}.
   *
   * @throws IllegalArgumentException for another selector
   */
  @ReadOperation
  public Inspections inspectionsWith(@Selector String detail) {
    if (!THREADS.equals(detail)) {
      throw new IllegalArgumentException("unknown selector '" + detail + "': use " + THREADS);
    }
    return new Inspections(registry.inspectServers(), registry.inspectClients(), threadDump());
  }

  private static String threadDump() {
    StringBuilder dump = new StringBuilder();
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
      dump.append('\n');
      for (StackTraceElement frame : thread.getStackTrace()) {
        dump.append("    at ").append(frame).append('\n');
      }
      dump.append('\n');
    }
    return dump.toString();
  }

  /**
   * What the endpoint returns.
   *
   * @param servers each server's parts, by the server's name
   * @param clients each client's parts, by the client's name
   * @param threadDump the JVM's threads with their stacks when asked for, otherwise null
   */
  public record Inspections(
      Map<String, List<ServerInspection>> servers,
      Map<String, List<ClientInspection>> clients,
      String threadDump) {}
}

package io.pulsarrpc.spring.boot.server;

import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContextException;
import org.springframework.context.SmartLifecycle;

/**
 * Starts every server the {@link HandlerCollector} found when the context starts, and stops them
 * all at once when it stops: each drains ({@code closeAsync()}) for at most the grace period and is
 * killed after it, and Spring is told the phase is done when all are closed. Start and stop are
 * called by Spring's lifecycle processor, one at a time.
 */
final class RpcServers implements SmartLifecycle {

  /**
   * Stops after the lifecycle beans of the default phase and before Spring Boot's web server
   * graceful shutdown ({@code DEFAULT_PHASE - 1024}); starts in the reverse order. The {@code
   * PulsarClient} bean is destroyed only after every phase has stopped.
   */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private static final Logger log = LoggerFactory.getLogger(RpcServers.class);

  private final HandlerCollector collector;
  private final ServerSettings settings;
  private final PulsarRpcRegistry registry;
  private final Map<String, RunningServer> running = new LinkedHashMap<>();
  private volatile boolean started;

  RpcServers(HandlerCollector collector, ServerSettings settings, PulsarRpcRegistry registry) {
    this.collector = collector;
    this.settings = settings;
    this.registry = registry;
  }

  @Override
  public void start() {
    for (ServerSpec spec : collector.specs()) {
      RunningServer server;
      try {
        server = spec.start(settings);
      } catch (Exception e) {
        running.values().forEach(RunningServer::kill);
        running.keySet().forEach(registry::remove);
        running.clear();
        throw new ApplicationContextException(
            "Cannot start pulsar-rpc server " + spec.name() + ": " + e.getMessage(), e);
      }
      running.put(spec.name(), server);
      registry.addServer(spec.name(), server::inspect);
    }
    started = true;
  }

  @Override
  public void stop() {
    CountDownLatch stopped = new CountDownLatch(1);
    stop(stopped::countDown);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop(Runnable callback) {
    started = false;
    List<CompletableFuture<Boolean>> closed = new ArrayList<>();
    Executor afterGrace =
        CompletableFuture.delayedExecutor(
            settings.shutdownGracePeriod().toMillis(), TimeUnit.MILLISECONDS);
    running.forEach(
        (name, server) -> {
          CompletableFuture<Boolean> drained = new CompletableFuture<>();
          server.closeAsync().whenComplete((ignored, failure) -> drained.complete(true));
          afterGrace.execute(
              () -> {
                if (drained.complete(false)) {
                  log.warn(
                      "pulsar-rpc server {} did not drain within {}: killed; its requests in"
                          + " flight go back to the subscription",
                      name,
                      settings.shutdownGracePeriod());
                  server.kill();
                }
              });
          closed.add(drained.whenComplete((ignored, failure) -> registry.remove(name)));
        });
    running.clear();
    CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new))
        .whenComplete((ignored, failure) -> callback.run());
  }

  @Override
  public boolean isRunning() {
    return started;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}

package io.pulsarrpc.spring.boot.server;

import io.pulsarrpc.inspect.ServerInspection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A started server, core or generated, as {@link RpcServers} stops and inspects it. */
interface RunningServer {

  /** Drains: completes when the requests in flight are settled and the server is closed. */
  CompletableFuture<Void> closeAsync();

  /** Stops at once; the requests in flight go back to the subscription. */
  void kill();

  /** A snapshot of each part (one per method of a generated server). */
  List<ServerInspection> inspect();
}

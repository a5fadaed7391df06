package io.pulsarrpc.spring.boot.server;

import io.pulsarrpc.common.PulsarRpcServerException;

/** A server to run, found in a bean at startup; started once by {@link RpcServers}. */
interface ServerSpec {

  /** The name it is reported under. */
  String name();

  /** Builds and starts the server; blocks until it consumes. */
  RunningServer start(ServerSettings settings) throws PulsarRpcServerException;
}

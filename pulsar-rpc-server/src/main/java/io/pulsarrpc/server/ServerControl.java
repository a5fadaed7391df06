package io.pulsarrpc.server;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.internal.ControlMessages;
import io.pulsarrpc.inspect.ControlTopic;
import io.pulsarrpc.inspect.InspectionRequest;
import io.pulsarrpc.inspect.ServerInspection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control side of a server built with a control token: a second, internal server on the control
 * topic that answers introspection multi-calls with the owner's {@link
 * PulsarRpcServer#inspect(boolean)}, only for callers that present the token. It is a server like
 * any other (claims, deadlines, error replies), so the control topic needs no protocol of its own.
 *
 * <p>Invariants: a caller without the token, or with another one, gets {@link
 * ErrorCode#PERMISSION_DENIED} and never any data; tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time taken says nothing about the token, not even its
 * length. The control server reads through a temporary subscription named after the owner's id, so
 * every instance answers each call and leaves nothing on the bus when it stops.
 *
 * <p>Threads: the answer is computed on the control server's own handler threads (at most {@value
 * #MAX_CONCURRENT_INSPECTIONS}), never on the owner's.
 */
final class ServerControl {

  private static final Logger log = LoggerFactory.getLogger(ServerControl.class);
  private static final int MAX_CONCURRENT_INSPECTIONS = 2;
  private static final Duration GRACE_PERIOD = Duration.ofSeconds(1);

  private ServerControl() {}

  /**
   * Starts the control server of the server {@code serverId} built with {@code settings}, on {@code
   * bus}, which it does not close.
   *
   * @param inspector the owner's inspection, given whether to include a thread dump
   */
  static PulsarRpcServer<InspectionRequest, ServerInspection> start(
      PulsarRpcServerBuilder<?, ?> settings,
      MessageBus bus,
      String serverId,
      Function<Boolean, ServerInspection> inspector)
      throws PulsarRpcServerException {
    byte[] expected = digest(settings.controlToken);
    PulsarRpcServerBuilder<InspectionRequest, ServerInspection> control =
        PulsarRpcServer.builder(ControlMessages.REQUEST, ControlMessages.ANSWER)
            .requestTopic(settings.controlTopic())
            .requestSubscription("pulsar-rpc-control-" + serverId)
            .maxConcurrentRequests(MAX_CONCURRENT_INSPECTIONS)
            .shutdownGracePeriod(GRACE_PERIOD);
    control.temporarySubscription = true;
    RequestHandler<InspectionRequest, ServerInspection> handler =
        (context, request) -> {
          String token = context.metadata().get(ControlTopic.TOKEN_METADATA_KEY);
          if (token == null || !MessageDigest.isEqual(expected, digest(token))) {
            log.debug(
                "Server {} refuses control call {}: {} control token",
                settings.requestSubscription,
                context.correlationId(),
                token == null ? "no" : "a wrong");
            return CompletableFuture.failedFuture(
                new RpcException(
                    ErrorCode.PERMISSION_DENIED,
                    token == null
                        ? "the control call carries no control token"
                        : "the control call's token is not this server's"));
          }
          return CompletableFuture.completedFuture(inspector.apply(request.threadDump()));
        };
    return control.build(bus, handler, (correlationId, request) -> {});
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}

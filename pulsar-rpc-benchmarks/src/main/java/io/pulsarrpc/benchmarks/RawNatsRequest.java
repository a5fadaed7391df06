package io.pulsarrpc.benchmarks;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The baseline on NATS: core NATS request-reply, jnats {@code connection.request()} answered by a
 * plain {@link Dispatcher} that publishes each request's data to its reply subject. Nothing is
 * stored (no JetStream), so this is the floor of NATS, not of the JetStream bus. Caller and
 * responder have a connection each, as two processes would.
 */
final class RawNatsRequest implements RawRoundTrip {

  private final byte[] payload;
  private final String subject;
  private final Connection callerConnection;
  private final Connection responderConnection;

  RawNatsRequest(String url, String subject, byte[] payload)
      throws IOException, InterruptedException, TimeoutException {
    this.payload = payload;
    this.subject = subject;
    this.responderConnection = Nats.connect(url);
    this.callerConnection = Nats.connect(url);
    Dispatcher dispatcher =
        responderConnection.createDispatcher(
            message -> responderConnection.publish(message.getReplyTo(), message.getData()));
    dispatcher.subscribe(subject);
    responderConnection.flush(Duration.ofSeconds(10));
  }

  @Override
  public CompletableFuture<?> start(String id) {
    return callerConnection.request(subject, payload);
  }

  /** jnats's blocking {@code request()}, which answers null on a timeout. */
  @Override
  public void call(String id) throws Exception {
    Message reply =
        callerConnection.request(subject, payload, Duration.ofSeconds(BLOCKING_TIMEOUT_SECONDS));
    if (reply == null) {
      throw new TimeoutException(
          "no reply to a NATS request within " + BLOCKING_TIMEOUT_SECONDS + " s");
    }
  }

  @Override
  public void close() {
    try {
      callerConnection.close();
      responderConnection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

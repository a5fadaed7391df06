package io.pulsarrpc.benchmarks;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.pulsarrpc.bus.nats.NatsMessageBus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The physical limit of the JetStream bus: a request is published to a stream, a durable pull
 * consumer of it (jnats's {@code consume}, which keeps many messages in flight) acknowledges it and
 * publishes the answer to a second stream, consumed the same way by the caller. Streams and
 * consumers have the bus's settings (file storage, interest retention, explicit acknowledgement
 * confirmed by the server, the bus's ack wait and most pending acknowledgements). Caller and
 * responder have a connection each, as two processes would.
 */
final class RawJetStreamRoundTrip implements RawRoundTrip {

  private static final byte[] ACK = "+ACK".getBytes(StandardCharsets.US_ASCII);
  private static final String KEY = "rpc-key";

  private final byte[] payload;
  private final String requestSubject;
  private final PendingAnswers pending = new PendingAnswers();
  private final Connection callerConnection;
  private final Connection responderConnection;
  private final JetStream callerJetStream;
  private final MessageConsumer responder;
  private final MessageConsumer caller;

  RawJetStreamRoundTrip(String url, String name, byte[] payload)
      throws IOException, InterruptedException, JetStreamApiException {
    this.payload = payload;
    this.requestSubject = name + ".requests";
    String replySubject = name + ".replies";
    this.responderConnection = Nats.connect(url);
    this.callerConnection = Nats.connect(url);
    JetStreamManagement management = callerConnection.jetStreamManagement();
    String requestStream = createStream(management, name + "-requests", requestSubject);
    String replyStream = createStream(management, name + "-replies", replySubject);
    createConsumer(management, requestStream, "raw-responder");
    createConsumer(management, replyStream, "raw-caller");
    JetStream responderJetStream = responderConnection.jetStream();
    this.callerJetStream = callerConnection.jetStream();
    this.responder =
        responderJetStream
            .getConsumerContext(requestStream, "raw-responder")
            .consume(
                ConsumeOptions.DEFAULT_CONSUME_OPTIONS,
                acknowledgeThen(
                    responderConnection,
                    message ->
                        responderJetStream.publishAsync(
                            NatsMessage.builder()
                                .subject(replySubject)
                                .headers(message.getHeaders())
                                .data(message.getData())
                                .build())));
    this.caller =
        callerJetStream
            .getConsumerContext(replyStream, "raw-caller")
            .consume(
                ConsumeOptions.DEFAULT_CONSUME_OPTIONS,
                acknowledgeThen(
                    callerConnection,
                    message -> pending.answered(message.getHeaders().getFirst(KEY))));
  }

  @Override
  public CompletableFuture<?> start(String id) {
    return pending.send(
        id,
        () ->
            callerJetStream.publishAsync(
                NatsMessage.builder()
                    .subject(requestSubject)
                    .headers(new Headers().put(KEY, id))
                    .data(payload)
                    .build()));
  }

  @Override
  public void close() {
    try {
      responder.stop();
      caller.stop();
      callerConnection.close();
      responderConnection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Acknowledges as the bus does (a request, confirmed by the server), then runs {@code next}. */
  private static MessageHandler acknowledgeThen(
      Connection connection, java.util.function.Consumer<Message> next) {
    return message -> {
      connection.requestWithTimeout(message.getReplyTo(), ACK, Duration.ofSeconds(10));
      next.accept(message);
    };
  }

  private static String createStream(JetStreamManagement management, String name, String subject)
      throws IOException, JetStreamApiException {
    String stream = name.replaceAll("[^A-Za-z0-9-]", "_");
    management.addStream(
        StreamConfiguration.builder()
            .name(stream)
            .subjects(subject)
            .storageType(StorageType.File)
            .retentionPolicy(RetentionPolicy.Interest)
            .build());
    return stream;
  }

  private static void createConsumer(JetStreamManagement management, String stream, String durable)
      throws IOException, JetStreamApiException {
    management.addOrUpdateConsumer(
        stream,
        ConsumerConfiguration.builder()
            .durable(durable)
            .ackPolicy(AckPolicy.Explicit)
            .ackWait(NatsMessageBus.DEFAULT_ACK_WAIT)
            .maxAckPending(NatsMessageBus.DEFAULT_MAX_ACK_PENDING)
            .build());
  }
}

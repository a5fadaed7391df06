package io.pulsarrpc.client;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.internal.ReplyHeaders;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;

/**
 * A server group played by the test: it takes each request off the bus when the test asks, and
 * claims and answers it exactly as the test says, so that every ordering a test needs happens on
 * purpose.
 */
final class ScriptedServerGroup {

  final String name;
  private final BusConsumer<String> requests;
  private final BusProducer<String> replies;

  /**
   * @param requestTopic the bus topic the group reads: a request topic, a call topic's or an
   *     affinity topic (each group reads its own copy)
   */
  ScriptedServerGroup(MessageBus bus, String requestTopic, String replyTopic, String name)
      throws Exception {
    this.name = name;
    this.requests =
        bus.subscribe(
                SubscriptionSpec.ofTopic(
                    requestTopic, name, SubscriptionMode.SHARED, Schema.STRING))
            .get(10, TimeUnit.SECONDS);
    this.replies =
        bus.createProducer(new ProducerSpec<>(replyTopic, Schema.STRING, Map.of()))
            .get(10, TimeUnit.SECONDS);
  }

  /** The next request this group receives. */
  IncomingMessage<String> next() throws Exception {
    IncomingMessage<String> request = requests.receive().get(10, TimeUnit.SECONDS);
    request.acknowledge();
    return request;
  }

  /** Offers to run an affinity request; the group's name is its server instance id. */
  void offer(IncomingMessage<String> request, double score) throws Exception {
    send(request, ReplyHeaders.writeOffer(name, name, subscriptionOf(request), score), null);
  }

  /** The server instance the next message selects, or null when it is not a selection. */
  String nextSelection() throws Exception {
    IncomingMessage<String> message = next();
    return RequestHeaders.selectedServer(message.properties());
  }

  void claim(IncomingMessage<String> request) throws Exception {
    send(request, ReplyHeaders.writeClaim(name, name + "-1", subscriptionOf(request)), null);
  }

  void reply(IncomingMessage<String> request, String value) throws Exception {
    send(request, ReplyHeaders.write(name, null, subscriptionOf(request), Map.of()), value);
  }

  void fail(IncomingMessage<String> request, ErrorCode code, String message) throws Exception {
    send(
        request,
        ReplyHeaders.write(
            name,
            null,
            subscriptionOf(request),
            new ReplyHeaders.Error(code, message, Map.of()).properties()),
        null);
  }

  /** Sends a claim for a call that may not exist, as a hostile peer would. */
  void forgeClaim(String correlationId, String group, String replySubscription) throws Exception {
    replies
        .send(
            OutgoingMessage.of(
                correlationId, null, ReplyHeaders.writeClaim(group, group, replySubscription)))
        .get(10, TimeUnit.SECONDS);
  }

  private void send(IncomingMessage<String> request, Map<String, String> properties, String value)
      throws Exception {
    replies.send(OutgoingMessage.of(request.key(), value, properties)).get(10, TimeUnit.SECONDS);
  }

  private static String subscriptionOf(IncomingMessage<String> request) {
    return RequestHeaders.read(request.key(), request.properties(), request.publishTime())
        .replySubscription();
  }
}

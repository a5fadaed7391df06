package io.pulsarrpc.client;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.internal.ControlMessages;
import io.pulsarrpc.common.internal.SettingChecks;
import io.pulsarrpc.inspect.ControlTopic;
import io.pulsarrpc.inspect.InspectionRequest;
import io.pulsarrpc.inspect.ServerInspection;
import java.util.UUID;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * Settings of a {@link ServerDirectory}. Setters reject a bad value with {@link
 * IllegalArgumentException}; {@code build} says what is missing. Not thread-safe.
 */
public final class ServerDirectoryBuilder {

  private String controlToken;
  private String controlTopic = ControlTopic.DEFAULT;

  ServerDirectoryBuilder() {}

  /**
   * The token the servers were built with ({@code PulsarRpcServerBuilder.controlToken}). Required.
   *
   * @throws IllegalArgumentException when blank or with a line break (it travels as metadata)
   */
  public ServerDirectoryBuilder controlToken(String controlToken) {
    this.controlToken = SettingChecks.controlToken(controlToken);
    return this;
  }

  /**
   * The control topic the servers answer on. Default {@value ControlTopic#DEFAULT}.
   *
   * @throws IllegalArgumentException when blank
   */
  public ServerDirectoryBuilder controlTopic(String controlTopic) {
    if (controlTopic == null || controlTopic.isBlank()) {
      throw new IllegalArgumentException("controlTopic must not be blank");
    }
    this.controlTopic = controlTopic;
    return this;
  }

  /**
   * Builds a directory over Pulsar; it uses {@code pulsarClient} and does not close it. Blocks
   * until its reply subscription and request producer exist.
   *
   * @throws IllegalArgumentException when the token is not set
   * @throws PulsarRpcClientException when the broker refuses the subscription or the producer
   */
  public ServerDirectory build(PulsarClient pulsarClient) throws PulsarRpcClientException {
    if (pulsarClient == null) {
      throw new IllegalArgumentException("pulsarClient must not be null");
    }
    return build(PulsarMessageBus.create(pulsarClient), true);
  }

  /**
   * Builds a directory over any bus, which it does not close. Blocks until its reply subscription
   * and request producer exist.
   *
   * @throws IllegalArgumentException when the token is not set
   * @throws PulsarRpcClientException when the bus refuses the subscription or the producer
   */
  public ServerDirectory build(MessageBus bus) throws PulsarRpcClientException {
    if (bus == null) {
      throw new IllegalArgumentException("bus must not be null");
    }
    return build(bus, false);
  }

  private ServerDirectory build(MessageBus bus, boolean ownsBus) throws PulsarRpcClientException {
    if (controlToken == null) {
      throw new IllegalArgumentException(
          "Cannot build ServerDirectory: controlToken is not set: the token the servers were built"
              + " with");
    }
    String id = UUID.randomUUID().toString();
    PulsarRpcClientBuilder<InspectionRequest, ServerInspection> settings =
        PulsarRpcClient.builder(ControlMessages.REQUEST, ControlMessages.ANSWER)
            .requestTopic(controlTopic)
            // A topic of its own: no directory reads another's answers.
            .replyTopic(controlTopic + ".replies." + id)
            .replySubscription("pulsar-rpc-directory-" + id);
    settings.temporaryReplySubscription = true;
    PulsarRpcClient<InspectionRequest, ServerInspection> client =
        ownsBus ? settings.buildOwning(bus) : settings.build(bus);
    return new ControlTopicDirectory(client, controlToken);
  }
}

package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication passes through: the SDK uses the PulsarClient it is given, token and all. */
class TokenAuthenticationIT {

  private static EmbeddedPulsarBroker broker;

  @BeforeAll
  static void startBrokerWithTokenAuthentication() {
    broker = EmbeddedPulsarBroker.builder().tokenAuthentication().build();
    broker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void clientsAndServersWithAValidTokenTalk() throws Exception {
    try (PulsarClient serverSide = clientWithToken(broker.tokenFor("greeter-service"));
        PulsarClient clientSide = clientWithToken(broker.tokenFor("shop"));
        PulsarRpcServer<String, String> server =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic("secured-requests")
                .requestSubscription("greeter")
                .build(
                    serverSide,
                    name -> CompletableFuture.completedFuture("hello " + name),
                    (id, name) -> {});
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic("secured-requests")
                .replyTopic("secured-replies")
                .replySubscription("shop")
                .build(clientSide)) {

      assertThat(client.request("secured-1", "ada")).isEqualTo("hello ada");
      assertThat(server.subscription()).isEqualTo("greeter");
    }
  }

  @Test
  void aClientWithoutATokenIsRefusedAtBuildWithTheBrokersReason() throws Exception {
    try (PulsarClient anonymous = boundedClient().build()) {

      assertThatThrownBy(
              () ->
                  PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                      .requestTopic("secured-requests")
                      .replyTopic("anonymous-replies")
                      .replySubscription("anonymous")
                      .build(anonymous))
          .isInstanceOf(PulsarRpcClientException.class)
          .hasMessageContaining("Could not subscribe to the reply topic")
          .hasMessageContaining("uthenticat");
    }
  }

  @Test
  void aServerWithAForgedTokenIsRefusedAtBuildWithTheBrokersReason() throws Exception {
    String forged;
    try (EmbeddedPulsarBroker other =
        EmbeddedPulsarBroker.builder().tokenAuthentication().build()) {
      // Signed with another broker's secret; that broker need not run.
      forged = other.tokenFor("intruder");
    }
    try (PulsarClient intruder = clientWithToken(forged)) {

      assertThatThrownBy(
              () ->
                  PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                      .requestTopic("secured-requests")
                      .requestSubscription("intruder")
                      .build(
                          intruder,
                          name -> CompletableFuture.completedFuture(name),
                          (id, name) -> {}))
          .isInstanceOf(PulsarRpcServerException.class)
          .hasMessageContaining("Could not subscribe")
          .hasMessageContaining("uthenticat");
    }
  }

  private static PulsarClient clientWithToken(String token) throws Exception {
    return boundedClient().authentication(AuthenticationFactory.token(token)).build();
  }

  private static org.apache.pulsar.client.api.ClientBuilder boundedClient() {
    return PulsarClient.builder()
        .serviceUrl(broker.serviceUrl())
        .operationTimeout(15, TimeUnit.SECONDS);
  }
}

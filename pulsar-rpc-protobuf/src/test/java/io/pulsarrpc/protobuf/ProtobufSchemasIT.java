package io.pulsarrpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.protobuf.schematest.Greeting;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.schema.SchemaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ProtobufSchemas}' rule against the schema registry of a real Pulsar broker. */
@ExtendWith(TestBrokersExtension.class)
class ProtobufSchemasIT {

  private final PulsarTestBroker broker;

  ProtobufSchemasIT(PulsarTestBroker broker) {
    this.broker = broker;
  }

  @Test
  void callsCarryProtobufMessagesAndTheBrokerRegistersTheirNativeSchema() throws Exception {
    Schema<Greeting> schema = ProtobufSchemas.of(Greeting.class);
    String requests = broker.newTopic("greetings");
    try (PulsarRpcServer<Greeting, Greeting> server = server(requests, schema, "servers");
        PulsarRpcClient<Greeting, Greeting> client = client(requests, schema)) {
      Greeting reply =
          client
              .requestAsync(Greeting.newBuilder().setText("hi").setCount(1).build())
              .get(60, TimeUnit.SECONDS);

      assertThat(reply).isEqualTo(Greeting.newBuilder().setText("hi!").setCount(2).build());
      assertThat(server.subscription()).isEqualTo("servers");
    }
    assertThat(broker.admin().schemas().getSchemaInfo(requests).getType())
        .isEqualTo(SchemaType.PROTOBUF_NATIVE);
  }

  @Test
  void errorRepliesAndMultiCallClaimsGoThroughTopicsWithTheNativeSchema() throws Exception {
    Schema<Greeting> schema = ProtobufSchemas.of(Greeting.class);
    String requests = broker.newTopic("greetings");
    try (PulsarRpcServer<Greeting, Greeting> first = server(requests, schema, "first");
        PulsarRpcServer<Greeting, Greeting> second = server(requests, schema, "second");
        PulsarRpcClient<Greeting, Greeting> client = client(requests, schema)) {
      assertThat(
              client
                  .requestAllAsync(
                      Greeting.newBuilder().setText("all").build(),
                      RequestOptions.defaults().withExpectedServers(2))
                  .get(60, TimeUnit.SECONDS))
          .extracting(response -> response.server() + ":" + response.value().getText())
          .containsExactlyInAnyOrder(
              first.subscription() + ":all!", second.subscription() + ":all!");

      assertThatThrownBy(
              () -> client.requestAsync(Greeting.newBuilder().setText("fail").build()).join())
          .isInstanceOf(CompletionException.class)
          .hasMessageContaining("refused");
    }
  }

  @Test
  void theSameClassAlwaysGetsTheSameSchema() {
    assertThat(ProtobufSchemas.of(Greeting.class)).isSameAs(ProtobufSchemas.of(Greeting.class));
  }

  private PulsarRpcServer<Greeting, Greeting> server(
      String requests, Schema<Greeting> schema, String subscription) throws Exception {
    return PulsarRpcServer.builder(schema, schema)
        .requestTopic(requests)
        .requestSubscription(subscription)
        .build(
            broker.client(),
            (Greeting request) ->
                request.getText().equals("fail")
                    ? CompletableFuture.failedFuture(
                        new RpcException(ErrorCode.INVALID_ARGUMENT, "refused"))
                    : CompletableFuture.completedFuture(
                        request.toBuilder()
                            .setText(request.getText() + "!")
                            .setCount(request.getCount() + 1)
                            .build()),
            (id, request) -> {});
  }

  private PulsarRpcClient<Greeting, Greeting> client(String requests, Schema<Greeting> schema)
      throws Exception {
    return PulsarRpcClient.builder(schema, schema)
        .requestTopic(requests)
        .replyTopic(requests + "-replies")
        .replySubscription("client")
        // Long enough for both servers to claim a multi-call on a loaded machine.
        .claimWindow(Duration.ofSeconds(30))
        .build(broker.client());
  }
}

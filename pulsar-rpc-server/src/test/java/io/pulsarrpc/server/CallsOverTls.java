package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * The TLS scenarios, written once for every bus (the Redis and NATS tests reuse them from the
 * test-jar): a call makes a round trip over a bus that trusts the server, and a client on a bus
 * that does not trust it fails at build, quickly, with a message that says so and names the setting
 * that fixes it.
 */
public final class CallsOverTls {

  /** How long a client that does not trust the server may take to fail. */
  public static final Duration FAILS_WITHIN = Duration.ofSeconds(30);

  private CallsOverTls() {}

  /** A server and a client on {@code bus} answer one call. */
  public static void assertACallMakesARoundTrip(MessageBus bus) throws Exception {
    try (PulsarRpcServer<String, String> server =
            PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                .requestTopic("tls-requests")
                .requestSubscription("greeter")
                .build(
                    bus,
                    name -> CompletableFuture.completedFuture("hello " + name),
                    (id, name) -> {});
        PulsarRpcClient<String, String> client =
            PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                .requestTopic("tls-requests")
                .replyTopic("tls-replies")
                .replySubscription("shop")
                .build(bus)) {

      assertThat(client.request("tls-1", "ada")).isEqualTo("hello ada");
    }
  }

  /**
   * A client on {@code untrusting} fails at build within {@link #FAILS_WITHIN}, saying the server's
   * certificate is not trusted and naming {@code trustSetting}.
   */
  public static void assertAnUntrustingClientFailsSayingSo(
      MessageBus untrusting, String trustSetting) {
    long started = System.nanoTime();

    assertThatThrownBy(
            () ->
                PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
                    .requestTopic("tls-requests")
                    .replyTopic("untrusting-replies")
                    .replySubscription("untrusting")
                    .build(untrusting))
        .isInstanceOf(PulsarRpcClientException.class)
        .hasMessageContaining("Could not subscribe to the reply topic")
        .hasMessageContaining("does not trust the server's certificate")
        .hasMessageContaining(trustSetting);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAILS_WITHIN);
  }
}

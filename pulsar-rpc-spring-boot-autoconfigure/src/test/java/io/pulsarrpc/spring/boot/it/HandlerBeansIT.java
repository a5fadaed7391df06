package io.pulsarrpc.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.inspect.ClientInspection;
import io.pulsarrpc.observability.RpcMetrics;
import io.pulsarrpc.server.RequestContext;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.spring.boot.PulsarRpcHandler;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import io.pulsarrpc.spring.boot.actuate.PulsarRpcEndpoint;
import io.pulsarrpc.spring.boot.client.PulsarRpcClients;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code @PulsarRpcHandler} beans answer clients built by {@code PulsarRpcClients}. */
@ExtendWith(TestBroker.ClosedAfterTheApplication.class)
@DirtiesContext
@SpringBootTest(
    classes = HandlerBeansIT.App.class,
    properties = {
      "spring.application.name=orders-app",
      "test.topics.upper=persistent://public/default/spring-upper",
      "pulsar-rpc.client.reply-timeout=7s",
      "pulsar-rpc.client.max-pending-requests=2",
      "pulsar-rpc.client.claim-window=900ms",
      "pulsar-rpc.client.client-id=orders-app-1",
      "management.endpoints.jmx.exposure.include=*",
      "spring.jmx.enabled=true"
    })
class HandlerBeansIT {

  static final String ORDERS = "persistent://public/default/spring-orders";
  static final String REFUSE = "persistent://public/default/spring-refuse";
  static final String NOBODY = "persistent://public/default/spring-nobody";

  private static final TestBroker BROKER = new TestBroker(HandlerBeansIT.class);

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    BROKER.register(registry);
  }

  @Autowired
  @Qualifier("upper")
  PulsarRpcClient<String, String> upper;

  @Autowired PulsarRpcClient<Order, Receipt> orders;

  @Autowired
  @Qualifier("refuse")
  PulsarRpcClient<String, String> refuse;

  @Autowired
  @Qualifier("nobody")
  PulsarRpcClient<String, String> nobody;

  @Autowired MeterRegistry meters;
  @Autowired CountingInterceptor counting;
  @Autowired PulsarRpcRegistry registry;
  @Autowired PulsarRpcEndpoint endpoint;

  @Test
  void stringHandlerAnswersAClientBuiltByPulsarRpcClients() throws Exception {
    assertThat(upper.request("hello")).isEqualTo("HELLO");
  }

  @Test
  void jsonRecordHandlerAnswersWithItsContext() throws Exception {
    Receipt receipt = orders.request(new Order("pen", 3));

    assertThat(receipt).isEqualTo(new Receipt("pen", 3, "orders-app-rpc"));
  }

  @Test
  void rpcExceptionThrownByTheHandlerReachesTheCallerWithItsCode() {
    assertThatThrownBy(() -> refuse.request("anything"))
        .isInstanceOfSatisfying(
            PulsarRpcClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
        .hasMessageContaining("not for you");
  }

  @Test
  void clientIdPropertyStartsTheReplySubscriptionAndEndsTheReplyTopic() {
    ClientInspection inspection = upper.inspect();

    assertThat(inspection.replySubscription()).matches("orders-app-1-\\d+");
    assertThat(inspection.replyTopic())
        .isEqualTo(
            "persistent://public/default/spring-upper.reply." + inspection.replySubscription());
  }

  @Test
  void replyTimeoutAndPendingBoundComeFromTheProperties() {
    CompletableFuture<String> first = nobody.requestAsync("1");
    CompletableFuture<String> second = nobody.requestAsync("2");
    try {
      ClientInspection.PendingCall pending = nobody.inspect().pendingCalls().get(0);
      assertThat(pending.deadlineMillis() - pending.startedAtMillis())
          .isEqualTo(Duration.ofSeconds(7).toMillis());
      assertThat(nobody.requestAsync("3"))
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableThat()
          .withMessageContaining("maxPendingRequests");
    } finally {
      first.cancel(true);
      second.cancel(true);
      nobody.inspect().pendingCalls().forEach(call -> nobody.removeRequest(call.correlationId()));
    }
  }

  @Test
  void claimWindowComesFromTheProperties() {
    CompletableFuture<String> claimed =
        nobody.requestAsync("anyone?", RequestOptions.defaults().withClaimRequired());

    NoResponders.assertFailsAtTheClaimWindow(claimed, Duration.ofMillis(900));
  }

  @Test
  void metricsOfBothSidesAppearInTheMeterRegistryAfterACall() throws Exception {
    upper.request("metrics");

    assertThat(meters.find(RpcMetrics.CLIENT_CALLS).counters()).isNotEmpty();
    assertThat(meters.find(RpcMetrics.SERVER_CALLS).counters()).isNotEmpty();
  }

  @Test
  void applicationInterceptorBeanSeesTheRequestsOfEveryServer() throws Exception {
    int before = counting.requests.get();

    upper.request("counted");
    orders.request(new Order("ink", 1));

    assertThat(counting.requests.get() - before).isEqualTo(2);
  }

  @Test
  void endpointReturnsTheInspectionsOfEveryServerAndClient() {
    PulsarRpcEndpoint.Inspections inspections = endpoint.inspections();

    assertThat(inspections.servers())
        .containsKeys("handlers.upper", "handlers.order", "handlers.refuse");
    assertThat(inspections.servers().get("handlers.upper").get(0).requestTopics())
        .contains("persistent://public/default/spring-upper");
    assertThat(inspections.servers().get("handlers.upper").get(0).subscription())
        .isEqualTo("orders-app-rpc");
    assertThat(inspections.clients())
        .containsKeys("client:" + ORDERS, "client:persistent://public/default/spring-upper");
    assertThat(inspections.threadDump()).isNull();
    assertThat(endpoint.inspectionsWith(PulsarRpcEndpoint.THREADS).threadDump()).contains("main");
    assertThat(registry.serverNames()).hasSize(3);
  }

  /** A request. */
  public record Order(String item, int quantity) {}

  /** A reply, with the subscription that answered. */
  public record Receipt(String item, int quantity, String subscription) {}

  /** The handler bean. */
  public static class Handlers {

    @PulsarRpcHandler(topic = "${test.topics.upper}")
    public String upper(String text) {
      return text.toUpperCase(java.util.Locale.ROOT);
    }

    @PulsarRpcHandler(topic = ORDERS, concurrency = 4)
    public CompletableFuture<Receipt> order(Order order, RequestContext context) {
      return CompletableFuture.completedFuture(
          new Receipt(order.item(), order.quantity(), context.subscription()));
    }

    @PulsarRpcHandler(topic = REFUSE)
    public String refuse(String text) {
      throw new RpcException(ErrorCode.PERMISSION_DENIED, "not for you");
    }
  }

  /** Counts the requests it sees. */
  public static class CountingInterceptor implements ServerInterceptor {
    final AtomicInteger requests = new AtomicInteger();

    @Override
    public <T, V> CompletableFuture<V> intercept(Chain<T, V> chain) throws Exception {
      requests.incrementAndGet();
      return chain.proceed(chain.context(), chain.request());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {

    @Bean
    Handlers handlers() {
      return new Handlers();
    }

    @Bean
    CountingInterceptor countingInterceptor() {
      return new CountingInterceptor();
    }

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    PulsarRpcClient<String, String> upper(PulsarRpcClients clients) throws Exception {
      return clients.create(
          Schema.STRING, Schema.STRING, "persistent://public/default/spring-upper");
    }

    @Bean
    PulsarRpcClient<Order, Receipt> orders(PulsarRpcClients clients) throws Exception {
      return clients.create(Schema.JSON(Order.class), Schema.JSON(Receipt.class), ORDERS);
    }

    @Bean
    PulsarRpcClient<String, String> refuse(PulsarRpcClients clients) throws Exception {
      return clients.create(Schema.STRING, Schema.STRING, REFUSE);
    }

    @Bean
    PulsarRpcClient<String, String> nobody(PulsarRpcClients clients) throws Exception {
      return clients.create(Schema.STRING, Schema.STRING, NOBODY);
    }
  }
}

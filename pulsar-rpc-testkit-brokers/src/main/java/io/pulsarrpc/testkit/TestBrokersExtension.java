package io.pulsarrpc.testkit;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a {@link PulsarTestBroker}, a {@link RedisTestServer} or a
 * {@link NatsTestServer} as a parameter of a test, lifecycle method or constructor.
 *
 * <pre>{@code
 * @ExtendWith(TestBrokersExtension.class)
 * class OrderServiceIT {
 *   @Test
 *   void answers(PulsarTestBroker broker) {
 *     String topic = broker.newTopic("orders");
 *     PulsarClient client = broker.client();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Each kind of server is started on first use and shared by every test class of the JVM, then
 * closed when the test run ends: one broker per test JVM. Each honours its environment variable
 * ({@code PULSAR_SERVICE_URL}, {@code REDIS_URL}, {@code NATS_URL}) to use a server you run
 * instead. A shared broker must stay up: a test that stops or crashes a broker builds its own
 * {@link EmbeddedPulsarBroker}.
 *
 * <p>When {@code redis-server} or {@code nats-server} is not installed, the tests that need it are
 * skipped with a message that says how to install it, except when the {@code CI} environment
 * variable is {@code true}: then they fail, so that a build server never skips them silently. A
 * server that fails to start fails every test that needs it, with the tail of its log, and is not
 * started again for each test.
 */
public final class TestBrokersExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestBrokersExtension.class);

  private static final Map<Class<?>, Supplier<AutoCloseable>> FACTORIES =
      Map.of(
          PulsarTestBroker.class, PulsarTestBroker::startFromEnvironment,
          RedisTestServer.class, RedisTestServer::startFromEnvironment,
          NatsTestServer.class, NatsTestServer::startFromEnvironment);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return FACTORIES.containsKey(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    SharedServer shared =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                type, key -> SharedServer.start(FACTORIES.get(type)), SharedServer.class);
    return shared.get(type, runsOnCi());
  }

  static boolean runsOnCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** A started server, or why it could not start; closed by JUnit when the test run ends. */
  static final class SharedServer implements ExtensionContext.Store.CloseableResource {

    private final AutoCloseable server;
    private final RuntimeException failure;

    SharedServer(AutoCloseable server, RuntimeException failure) {
      this.server = server;
      this.failure = failure;
    }

    static SharedServer start(Supplier<AutoCloseable> factory) {
      try {
        return new SharedServer(factory.get(), null);
      } catch (RuntimeException e) {
        return new SharedServer(null, e);
      }
    }

    Object get(Class<?> type, boolean onCi) {
      if (failure instanceof ServerUnavailableException && !onCi) {
        Assumptions.abort(failure.getMessage());
      }
      if (failure != null) {
        throw new ParameterResolutionException(
            "Could not provide a " + type.getSimpleName() + ": " + failure.getMessage(), failure);
      }
      return server;
    }

    @Override
    public void close() throws Exception {
      if (server != null) {
        server.close();
      }
    }
  }
}

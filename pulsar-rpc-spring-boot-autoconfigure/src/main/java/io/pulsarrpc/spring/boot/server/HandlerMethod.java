package io.pulsarrpc.spring.boot.server;

import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.server.PulsarRpcServer;
import io.pulsarrpc.server.PulsarRpcServerBuilder;
import io.pulsarrpc.server.RequestContext;
import io.pulsarrpc.server.RequestHandler;
import io.pulsarrpc.server.ServerInterceptor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * One {@code @PulsarRpcHandler} method of one bean: its shape is checked when the bean is
 * initialized (so a wrong one fails the startup), its server is built when the context starts.
 */
final class HandlerMethod implements ServerSpec {

  static final String SHAPES =
      "Res m(Req), Res m(Req, RequestContext), CompletableFuture<Res> m(Req) or"
          + " CompletableFuture<Res> m(Req, RequestContext)";

  private final String name;
  private final Object bean;
  private final Method method;
  private final String topic;
  private final String subscription;
  private final int concurrency;
  private final Class<?> requestType;
  private final Class<?> replyType;
  private final boolean async;
  private final boolean withContext;

  private HandlerMethod(
      String beanName,
      Object bean,
      Method method,
      String topic,
      String subscription,
      int concurrency,
      Class<?> replyType,
      boolean async) {
    this.name = beanName + "." + method.getName();
    this.bean = bean;
    this.method = method;
    this.topic = topic;
    this.subscription = subscription;
    this.concurrency = concurrency;
    this.requestType = ClassUtils.resolvePrimitiveIfNecessary(method.getParameterTypes()[0]);
    this.replyType = replyType;
    this.async = async;
    this.withContext = method.getParameterCount() == 2;
  }

  /**
   * Checks the method's shape.
   *
   * @param invocable the method as it can be called on {@code bean} (a proxy's, when proxied)
   * @throws IllegalStateException naming the bean, the method and the allowed shapes
   */
  static HandlerMethod of(
      String beanName,
      Object bean,
      Method invocable,
      String topic,
      String subscription,
      int concurrency) {
    Class<?>[] parameters = invocable.getParameterTypes();
    boolean shapeOk =
        Modifier.isPublic(invocable.getModifiers())
            && !Modifier.isStatic(invocable.getModifiers())
            && (parameters.length == 1
                || (parameters.length == 2 && parameters[1] == RequestContext.class))
            && parameters[0] != RequestContext.class
            && invocable.getReturnType() != void.class
            && invocable.getReturnType() != Void.class;
    boolean async = CompletableFuture.class == invocable.getReturnType();
    Class<?> replyType =
        async
            ? ResolvableType.forMethodReturnType(invocable)
                .as(CompletableFuture.class)
                .resolveGeneric(0)
            : ClassUtils.resolvePrimitiveIfNecessary(invocable.getReturnType());
    if (!shapeOk || replyType == null || replyType == Void.class) {
      throw new IllegalStateException(
          "Bean '"
              + beanName
              + "' method "
              + invocable.toGenericString()
              + " cannot be a @PulsarRpcHandler: the method must be public and one of "
              + SHAPES
              + " (Req and Res any type but void)");
    }
    if (concurrency < 0) {
      throw new IllegalStateException(
          "Bean '"
              + beanName
              + "' method "
              + invocable.getName()
              + ": @PulsarRpcHandler concurrency must be 0 (the default) or more, got "
              + concurrency);
    }
    return new HandlerMethod(
        beanName, bean, invocable, topic, subscription, concurrency, replyType, async);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RunningServer start(ServerSettings settings) throws PulsarRpcServerException {
    PulsarRpcServerBuilder<Object, Object> builder =
        PulsarRpcServer.builder(HandlerSchemas.of(requestType), HandlerSchemas.of(replyType))
            .requestTopic(topic)
            .requestSubscription(subscription)
            .maxConcurrentRequests(
                concurrency > 0
                    ? concurrency
                    : settings.properties().getServer().getMaxConcurrentRequests())
            .shutdownGracePeriod(settings.shutdownGracePeriod());
    String token = settings.properties().getServer().getControlToken();
    if (token != null) {
      builder.controlToken(token);
    }
    for (ServerInterceptor interceptor : settings.interceptors().server()) {
      builder.intercept(interceptor);
    }
    RequestHandler<Object, Object> handler = this::invoke;
    // Late results are dropped by the core server; an annotated method has nothing to undo.
    PulsarRpcServer<Object, Object> server =
        builder.build(settings.pulsarClient(), handler, (correlationId, request) -> {});
    return new RunningServer() {
      @Override
      public CompletableFuture<Void> closeAsync() {
        return server.closeAsync();
      }

      @Override
      public void kill() {
        server.kill();
      }

      @Override
      public List<ServerInspection> inspect() {
        return List.of(server.inspect());
      }
    };
  }

  @SuppressWarnings("unchecked")
  private CompletableFuture<Object> invoke(RequestContext context, Object request)
      throws Exception {
    Object result;
    try {
      result = withContext ? method.invoke(bean, request, context) : method.invoke(bean, request);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
    if (!async) {
      return CompletableFuture.completedFuture(result);
    }
    if (result == null) {
      throw new IllegalStateException(name + " returned a null future");
    }
    return (CompletableFuture<Object>) result;
  }
}

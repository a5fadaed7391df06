package io.pulsarrpc.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves a public method of a Spring bean as a pulsar-rpc server: the starter builds one {@code
 * PulsarRpcServer} per annotated method on Spring Boot's {@code PulsarClient}, starts it with the
 * application context and drains it on shutdown.
 *
 * <p><b>Method shapes</b> ({@code Req} and {@code Res} any type but {@code void}):
 *
 * <ul>
 *   <li>{@code Res m(Req request)}
 *   <li>{@code Res m(Req request, RequestContext context)}
 *   <li>{@code CompletableFuture<Res> m(Req request)}
 *   <li>{@code CompletableFuture<Res> m(Req request, RequestContext context)}
 * </ul>
 *
 * Any other shape fails the context's startup with a message that names the bean, the method and
 * these shapes. A synchronous method runs on one of the server's handler threads (at most {@link
 * #concurrency()} at once), so it may block; an asynchronous one should not.
 *
 * <p><b>Schemas</b> follow the types: {@code String} is {@code Schema.STRING}, {@code byte[]} is
 * {@code Schema.BYTES}, a protobuf message is {@code ProtobufSchemas.of(type)} (with {@code
 * pulsar-rpc-protobuf} on the classpath), anything else is {@code Schema.JSON(type)}.
 *
 * <p><b>Errors.</b> An {@code RpcException} thrown by the method (or failing its future) reaches
 * the caller with its error code; any other exception becomes an error reply as the core server
 * maps it. Requests that finish after their deadline are not answered (no rollback function).
 *
 * <p>The server also gets the settings of {@code pulsar-rpc.server.*} and the interceptors of
 * {@link PulsarRpcInterceptors}. Placeholders ({@code ${...}}) in {@link #topic()} and {@link
 * #subscription()} are resolved against the environment.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PulsarRpcHandler {

  /** The request topic to serve, for example {@code persistent://public/default/orders}. */
  String topic();

  /**
   * The request subscription, shared by every instance of the application so that they split the
   * load. Default (empty): {@code <spring.application.name>-rpc}, or {@code application-rpc} when
   * the application has no name.
   */
  String subscription() default "";

  /**
   * The most requests this method handles at once. Default (0): {@code
   * pulsar-rpc.server.max-concurrent-requests}.
   */
  int concurrency() default 0;
}

package io.pulsarrpc.protobuf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the generated parts of one protobuf service. The pulsar-rpc protoc plugin writes it on the
 * generated {@code FooClient}, {@code FooServerImpl} and {@code FooServer} of service {@code Foo},
 * with the same values on all three, so that a container (a dependency-injection framework, a
 * health or inspection endpoint) finds a service's parts from any one of them, or finds every
 * service of a package by scanning for this annotation, without relying on class names.
 *
 * <p>Retained at run time; not inherited: a class implementing {@code FooServerImpl} is found
 * through the interfaces it implements, not through its own annotations.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface GeneratedService {

  /** The protobuf full name of the service, {@code package.Service}, e.g. {@code bench.Echo}. */
  String name();

  /** The generated client interface, {@code FooClient}, made by its static {@code create}. */
  Class<?> client();

  /** The generated interface a server implements, {@code FooServerImpl}. */
  Class<?> serverImpl();

  /** The generated server, {@code FooServer}, which serves a {@code FooServerImpl}. */
  Class<?> server();
}

/**
 * The example's service, generated from {@code src/main/proto/spring/greeter.proto} by the
 * pulsar-rpc protoc plugin: {@code GreeterClient}, {@code GreeterServerImpl}, {@code
 * GreeterServer}.
 */
package io.pulsarrpc.examples.spring.greeter;

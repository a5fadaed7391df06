/**
 * The protoc plugin that generates, for each protobuf service {@code Foo}, a typed {@code
 * FooClient}, the {@code FooServerImpl} interface a user implements and the {@code FooServer}
 * handle that serves it. {@link io.pulsarrpc.protoc.PulsarRpcProtocPlugin} is the entry point;
 * everything else is package-private.
 */
package io.pulsarrpc.protoc;

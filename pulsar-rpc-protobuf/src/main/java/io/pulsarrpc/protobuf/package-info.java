/**
 * The runtime of code generated from protobuf services by the pulsar-rpc protoc plugin: the method
 * options of {@code pulsarrpc/options.proto} ({@link io.pulsarrpc.protobuf.RpcOptionsProto}), the
 * schema of a message class on every bus ({@link io.pulsarrpc.protobuf.ProtobufSchemas}), the topic
 * naming rule ({@link io.pulsarrpc.protobuf.ServiceNaming}), the settings of generated clients and
 * servers, the cores that own their per-method clients and servers (and inspect them), and the
 * {@link io.pulsarrpc.protobuf.GeneratedService} annotation by which a container finds the
 * generated parts of a service.
 */
package io.pulsarrpc.protobuf;

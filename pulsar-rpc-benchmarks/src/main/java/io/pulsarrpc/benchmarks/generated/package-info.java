/**
 * The benchmark's one-method service, generated from {@code src/main/proto/bench/echo.proto} by the
 * pulsar-rpc protoc plugin, which the generated-call scenarios compare with the hand-written
 * client's call.
 */
package io.pulsarrpc.benchmarks.generated;

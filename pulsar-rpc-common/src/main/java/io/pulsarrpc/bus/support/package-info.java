/**
 * What a bus adapter is built from: the pieces every {@link io.pulsarrpc.bus.MessageBus} needs
 * whatever its broker, written once so that an adapter holds only what is specific to its bus.
 *
 * <ul>
 *   <li>{@link io.pulsarrpc.bus.support.MessageSettings}: a message's key, properties and delivery
 *       time once its {@code config} (Pulsar's {@code loadConf} keys) is applied and checked;
 *   <li>{@link io.pulsarrpc.bus.support.OpenResources}: the argument and closed-bus guards of
 *       {@code createProducer} and {@code subscribe}, and the bookkeeping that lets {@code
 *       closeAsync} close every producer and consumer the bus created, once;
 *   <li>{@link io.pulsarrpc.bus.support.DeliveryState}: the acknowledgement state of one delivered
 *       message (acknowledged, negatively acknowledged, returned to the bus), settled once;
 *   <li>{@link io.pulsarrpc.bus.support.WaitingReceives}: the receives a consumer owes a message,
 *       oldest first, which give up their place when their caller cancels or times them out;
 *   <li>{@link io.pulsarrpc.bus.support.DecodedValue}: a message value decoded once with the
 *       consumer's schema, with the decode error every bus reports the same way;
 *   <li>{@link io.pulsarrpc.bus.support.Failures}: the cause behind the wrappers futures add, and
 *       what a TLS failure among the causes means;
 *   <li>{@link io.pulsarrpc.bus.support.TrustedCertificates}: a TLS context that trusts the
 *       certificates of a PEM file;
 *   <li>{@link io.pulsarrpc.bus.support.DaemonThreadFactory}: named daemon threads, for every
 *       thread the SDK starts;
 *   <li>{@link io.pulsarrpc.bus.support.SharedTimer}: the SDK's one timer, for work that waits for
 *       a time.
 * </ul>
 *
 * <p>Every type here is documented with its thread-safety. The package is public so that an adapter
 * for another broker (Kafka, RabbitMQ, ...) can be written on it; its types change only with the
 * bus SPI.
 */
package io.pulsarrpc.bus.support;

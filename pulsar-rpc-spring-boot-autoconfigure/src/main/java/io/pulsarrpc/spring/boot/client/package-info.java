/**
 * Client beans: every generated {@code FooClient} interface of the application's packages becomes
 * an injectable singleton, and {@link io.pulsarrpc.spring.boot.client.PulsarRpcClients} builds core
 * {@code PulsarRpcClient}s with the {@code pulsar-rpc.client.*} defaults. Both run on Spring Boot's
 * {@code PulsarClient}, carry the starter's interceptors, are reported by health and inspection,
 * and are closed with the application context.
 */
package io.pulsarrpc.spring.boot.client;

/**
 * Real servers for tests, without Docker: a Pulsar standalone broker in a child JVM ({@link
 * io.pulsarrpc.testkit.EmbeddedPulsarBroker}), and Redis and NATS started from the programs
 * installed on the machine ({@link io.pulsarrpc.testkit.RedisTestServer}, {@link
 * io.pulsarrpc.testkit.NatsTestServer}), shared per test JVM through the JUnit 5 {@link
 * io.pulsarrpc.testkit.TestBrokersExtension}. Every fixture uses an external server instead when
 * its environment variable names one. Each can also run with TLS, on certificates made at test time
 * ({@link io.pulsarrpc.testkit.TestCertificates}).
 */
package io.pulsarrpc.testkit;

/**
 * The benchmark harness: runs the raw round trip of each bus and the same traffic through the RPC
 * client and server, and reports throughput, latency percentiles, their ratios and the targets.
 * Start it with {@link io.pulsarrpc.benchmarks.BenchmarkMain}; {@code docs/performance.md} says
 * how, and what the figures mean.
 */
package io.pulsarrpc.benchmarks;

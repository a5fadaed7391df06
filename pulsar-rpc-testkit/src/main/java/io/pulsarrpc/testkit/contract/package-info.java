/**
 * The public contract suites, written once and run by every bus adapter: {@link
 * io.pulsarrpc.testkit.contract.MessageBusContractSuite} for the bus SPI and {@link
 * io.pulsarrpc.testkit.contract.RpcBehaviourSuite} for a client and a server of the RPC engine on
 * that bus, and {@link io.pulsarrpc.testkit.contract.CallKindsSuite} for the call kinds and for
 * stopping a server at once, and {@link io.pulsarrpc.testkit.contract.SubscriptionsSuite} for
 * server-pushed updates, and {@link io.pulsarrpc.testkit.contract.StreamServerCrashSuite} for a
 * stream whose server process is killed (every bus but in-memory, which cannot cross processes),
 * and {@link io.pulsarrpc.testkit.contract.InspectionSuite} for live introspection and the control
 * topic. An adapter's test extends each with a few lines that give a bus and topic names; the
 * capabilities the bus declares decide which parts apply. {@link
 * io.pulsarrpc.testkit.contract.BusTestSupport} holds the producers, consumers and bounded waits
 * the contract is written with, for an adapter's own tests too. See docs/testkit.md.
 */
package io.pulsarrpc.testkit.contract;

/**
 * The {@code pulsar-rpc} command line: {@code call}, {@code call-all}, {@code subscribe} and an
 * interactive shell ({@code repl}) over Pulsar, Redis or NATS, with payloads as text, base64, JSON
 * or protobuf messages described by a descriptor set.
 *
 * <p>{@link io.pulsarrpc.cli.PulsarRpcCli} is the entry point and the only public type. Each
 * command is one class registered in its {@code subcommands}; a command reaches the connection
 * options through the root command and maps its failures to the documented exit codes ({@link
 * io.pulsarrpc.cli.PulsarRpcCli#EXIT_OK} and the constants beside it) with a one-line message.
 */
package io.pulsarrpc.cli;

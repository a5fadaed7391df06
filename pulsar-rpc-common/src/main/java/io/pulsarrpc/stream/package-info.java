/**
 * Bidirectional streams: what a stream client ({@code io.pulsarrpc.client.PulsarRpcStreamClient})
 * and a stream server ({@code io.pulsarrpc.server.PulsarRpcStreamServer}) share. A client opens a
 * stream on a request topic, the first server to accept it owns it, and both sides send typed
 * messages through an {@link io.pulsarrpc.stream.RpcStream} until one closes it with a cause that
 * the other side sees as a {@link io.pulsarrpc.stream.StreamClosedException}.
 *
 * <p>Flow control, liveness and the wire format are described in docs/protocol.md; in short: at
 * most a window of unacknowledged messages is in flight per direction, a send completes once the
 * peer's application took the message, and a side that hears nothing from its peer for two and a
 * half of the peer's heartbeat intervals (a live peer speaks at least once an interval) closes the
 * stream, within three intervals of the peer's last word, with {@link
 * io.pulsarrpc.common.ErrorCode#UNAVAILABLE}.
 */
package io.pulsarrpc.stream;

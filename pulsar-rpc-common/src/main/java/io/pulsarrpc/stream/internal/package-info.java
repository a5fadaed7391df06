/**
 * The stream engine shared by the stream client and server: frames, flow control, liveness and the
 * stream state machine. Not API: may change in any release; classes are public only where the
 * client and server modules need them.
 */
package io.pulsarrpc.stream.internal;

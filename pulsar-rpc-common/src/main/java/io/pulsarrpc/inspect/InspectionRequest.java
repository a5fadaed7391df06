package io.pulsarrpc.inspect;

/**
 * What a caller asks a server for on the control topic. Immutable.
 *
 * @param threadDump whether the answer includes the server JVM's thread dump ({@link
 *     ServerInspection#threadDump()})
 */
public record InspectionRequest(boolean threadDump) {}

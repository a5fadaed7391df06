/**
 * Live introspection: the immutable snapshots a server ({@link ServerInspection}) and a client
 * ({@link ClientInspection}) give of themselves, the request a caller sends on the control topic
 * ({@link InspectionRequest}), and the control topic's names ({@link ControlTopic}). The same
 * records travel on the control topic, encoded as JSON, so what {@code PulsarRpcServer.inspect()}
 * returns in process is what a remote caller reads.
 */
package io.pulsarrpc.inspect;

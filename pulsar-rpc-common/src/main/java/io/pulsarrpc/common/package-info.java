/**
 * What clients and servers share: the names of the wire properties ({@link
 * io.pulsarrpc.common.WireProperties}) and the exceptions of the client and the server.
 */
package io.pulsarrpc.common;

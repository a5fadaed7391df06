/**
 * Pieces of the RPC engine shared by the client and server modules. Not API: may change in any
 * release.
 */
package io.pulsarrpc.common.internal;

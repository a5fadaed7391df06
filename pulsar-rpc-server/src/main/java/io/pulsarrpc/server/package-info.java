/** The RPC server: consumes requests, runs the user's function and publishes the replies. */
package io.pulsarrpc.server;

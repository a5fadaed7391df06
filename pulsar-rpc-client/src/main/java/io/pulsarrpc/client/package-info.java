/** The RPC client: publishes requests to a request topic and correlates the replies. */
package io.pulsarrpc.client;

/** What clients and servers share: wire properties and constants, and the error model. */
package io.pulsarrpc.common;

/**
 * The bus SPI: the few operations the RPC engine needs from a messaging system (publish, consume
 * under a subscription, acknowledge, delayed delivery). Adapters live in sub-packages; the engine
 * uses only this package.
 */
package io.pulsarrpc.bus;

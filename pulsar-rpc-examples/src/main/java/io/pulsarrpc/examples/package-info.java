/** The runnable demo of pulsar-rpc and one example per feature. */
package io.pulsarrpc.examples;

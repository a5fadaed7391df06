/** The starter against a real broker: handler beans, clients, shutdown, metrics, health. */
package io.pulsarrpc.spring.boot.it;

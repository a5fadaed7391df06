/**
 * The demo's service, generated from {@code src/main/proto/demo/inventory.proto} by the pulsar-rpc
 * protoc plugin: the messages, {@code InventoryClient}, {@code InventoryServerImpl} and {@code
 * InventoryServer}.
 */
package io.pulsarrpc.examples.inventory;

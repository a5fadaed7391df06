/** End-to-end tests of the code the pulsar-rpc protoc plugin generates, on every bus. */
package io.pulsarrpc.protobuf.it;

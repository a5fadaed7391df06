package io.pulsarrpc.examples.docs;

/**
 * docs/services.md and the sample user project of the protoc plugin (run by pulsar-rpc-protoc's
 * build).
 */
class ServicesDocTest extends SampleProjectPageTest {

  @Override
  String page() {
    return "docs/services.md";
  }

  @Override
  String sample() {
    return "pulsar-rpc-protoc/src/it/user-project";
  }
}

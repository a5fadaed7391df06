package io.pulsarrpc.examples.docs;

/** docs/getting-started.md and its sample project, which the build runs with a real broker. */
class GettingStartedDocTest extends SampleProjectPageTest {

  @Override
  String page() {
    return "docs/getting-started.md";
  }

  @Override
  String sample() {
    return "pulsar-rpc-examples/src/it/getting-started";
  }
}

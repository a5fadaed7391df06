package io.pulsarrpc.examples.docs;

/**
 * docs/spring-boot.md, its sample project (run by this module's build with a real broker) and the
 * parts of the Spring Boot example application it shows.
 */
class SpringBootDocTest extends SampleProjectPageTest {

  @Override
  String page() {
    return "docs/spring-boot.md";
  }

  @Override
  String sample() {
    return "pulsar-rpc-examples/src/it/spring-boot";
  }
}

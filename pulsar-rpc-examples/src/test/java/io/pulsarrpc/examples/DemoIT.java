package io.pulsarrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class DemoIT {

  @Test
  void theDemoSendsAMessageThroughTheBrokerAndReadsItBack(PulsarTestBroker broker)
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    boolean ok = new Demo(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(broker);

    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(ok).isTrue();
    assertThat(output)
        .contains("Sent     \"hello from pulsar-rpc\" with key demo-1")
        .contains("Received \"hello from pulsar-rpc\" with key demo-1")
        .contains("Demo finished: the message came back.");
  }
}

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
class ChatStreamExampleIT {

  @Test
  void bothCustomersAreGreetedAnsweredInOrderAndSeenHangingUp(PulsarTestBroker broker)
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    boolean ok =
        new ChatStreamExample(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(broker);

    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(ok).as(output).isTrue();
    assertThat(output)
        .contains("ada <- hello ada, you are talking to the support desk")
        .contains("linus <- noted: BYE")
        .contains("desk: ada hung up (CANCELED)")
        .contains("desk: linus hung up (CANCELED)")
        .contains("Both conversations completed in order.");
  }
}

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
class ScheduledCallsExampleIT {

  @Test
  void everyBookedJobRunsAndNoneEarly(PulsarTestBroker broker) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    boolean ok =
        new ScheduledCallsExample(new PrintStream(printed, true, StandardCharsets.UTF_8))
            .run(broker);

    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(ok).as(output).isTrue();
    assertThat(output)
        .contains("report #0 ran at")
        .contains("report #2 ran at")
        .contains("retry of a failed upload ran at")
        .contains("Every job ran at or after its time.");
  }
}

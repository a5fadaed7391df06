package io.pulsarrpc.examples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.client.Response;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each snippet of the guide, run against the testkit's real broker, does what the guide says. */
@ExtendWith(TestBrokersExtension.class)
class GuideSnippetsIT {

  @Test
  void theMultiCallGetsAnAnswerFromEachWarehouse(PulsarTestBroker broker) throws Exception {
    List<Response<String>> responses =
        MultiCallSnippet.run(broker.client(), broker.newTopic("stock"));

    assertThat(responses)
        .extracting(Response::server, Response::value)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("warehouse-north", "3 chairs"),
            org.assertj.core.groups.Tuple.tuple("warehouse-south", "5 chairs"));
  }

  @Test
  void theTopicCallIsAnsweredWhileRegisteredAndFindsNoRespondersAfter(PulsarTestBroker broker)
      throws Exception {
    assertThat(TopicCallSnippet.run(broker.client(), broker.newTopic("pricing")))
        .isEqualTo("EUR price of chair / NO_RESPONDERS");
  }

  @Test
  void theAffinityCallRunsOnTheIdleServer(PulsarTestBroker broker) throws Exception {
    assertThat(AffinityCallSnippet.run(broker.client(), broker.newTopic("transcode")))
        .isEqualTo("idle transcoded cat.mp4");
  }

  @Test
  void theClaimedCallFailsWithNoRespondersWhenNoServerReadsItsTopic(PulsarTestBroker broker)
      throws Exception {
    assertThat(ClaimedCallSnippet.run(broker.client(), broker.newTopic("nobody")))
        .isEqualTo(ErrorCode.NO_RESPONDERS);
  }

  @Test
  void theVersionThreeClientIsServedAndTheVersionOneClientIsTooOld(PulsarTestBroker broker)
      throws Exception {
    assertThat(ApiVersionsSnippet.run(broker.client(), broker.newTopic("greetings")))
        .isEqualTo("Hello, Ada / CLIENT_TOO_OLD");
  }

  @Test
  void theStreamGetsAnAnswerToEachLineInOrder(PulsarTestBroker broker) throws Exception {
    assertThat(StreamSnippet.run(broker.client(), broker.newTopic("echo")))
        .containsExactly("echo: hello", "echo: how are you?", "echo: bye");
  }

  @Test
  void theBroadcastShowsEveryStepOfTheEuJobInOrder(PulsarTestBroker broker) throws Exception {
    assertThat(BroadcastUpdatesSnippet.run(broker.client(), broker.newTopic("progress")))
        .containsExactly("job-7 0%", "job-7 25%", "job-7 50%", "job-7 75%", "job-7 100%");
  }

  @Test
  void theQueueGivesEachUploadToOneOfTheWorkers(PulsarTestBroker broker) throws Exception {
    Map<String, String> madeBy =
        QueueUpdatesSnippet.run(broker.client(), broker.newTopic("uploads"));

    assertThat(madeBy).hasSize(10);
    assertThat(madeBy.values())
        .allMatch(worker -> worker.equals("worker-1") || worker.equals("worker-2"));
  }
}

package io.pulsarrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.client.Response;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.inspect.ServerInspection.CallCounters;
import io.pulsarrpc.inspect.ServerInspection.InFlightCall;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerTableTest {

  private static final long TAKEN_AT = 1_800_000_000_000L;

  private static String print(List<Response<ServerInspection>> answers) {
    StringWriter out = new StringWriter();
    ServersCommand.ServerTable.print(answers, new Output(new PrintWriter(out), false));
    return out.toString();
  }

  private static ServerInspection server(
      String id, String subscription, boolean connected, InFlightCall... calls) {
    return new ServerInspection(
        id,
        List.of("persistent://public/default/orders"),
        subscription,
        connected,
        List.of("single", "multi"),
        1,
        2,
        TAKEN_AT - 185_000,
        TAKEN_AT,
        new CallCounters(120, 2, 0, calls.length),
        List.of(calls),
        null);
  }

  @Test
  void serversAreRowsUnderAHeaderThenTheirCallsInFlight() {
    InFlightCall held =
        new InFlightCall(
            "c-17",
            "persistent://public/default/orders",
            "single",
            TAKEN_AT - 2_100,
            TAKEN_AT + 7_900,
            "pulsar-rpc-handler-3");

    String table =
        print(
            List.of(
                new Response<>("eu", server("srv-1", "eu", true, held), null),
                new Response<>("us", server("srv-2", "us", false), null)));

    assertThat(table)
        .isEqualTo(
            """
            SERVER ID  SUBSCRIPTION  CONNECTED  TOPICS                              KINDS         API  \
            UPTIME  SERVED  FAILED  REJECTED  IN FLIGHT
            srv-1      eu            yes        persistent://public/default/orders  single,multi  1-2  \
            3m05s   120     2       0         1
            srv-2      us            no         persistent://public/default/orders  single,multi  1-2  \
            3m05s   120     2       0         0

            In flight on srv-1 (eu):
              CORRELATION ID  TOPIC                               KIND    AGE   DEADLINE IN  THREAD
              c-17            persistent://public/default/orders  single  2.1s  7.9s         \
            pulsar-rpc-handler-3
            """);
  }

  @Test
  void aServerThatRefusedIsAnErrorRowThatDoesNotWidenTheTable() {
    String table =
        print(
            List.of(
                new Response<ServerInspection>(
                    "pulsar-rpc-control-0a1b2c3d",
                    null,
                    new RpcException(ErrorCode.PERMISSION_DENIED, "not this server's token"))));

    assertThat(table.lines())
        .containsExactly(
            "SERVER ID  SUBSCRIPTION  CONNECTED  TOPICS  KINDS  API  UPTIME  SERVED  FAILED  REJECTED"
                + "  IN FLIGHT",
            "pulsar-rpc-control-0a1b2c3d  error PERMISSION_DENIED: not this server's token");
  }

  @Test
  void durationsReadAsTheirLargestUnits() {
    assertThat(ServersCommand.ServerTable.duration(850)).isEqualTo("850ms");
    assertThat(ServersCommand.ServerTable.duration(12_340)).isEqualTo("12.3s");
    assertThat(ServersCommand.ServerTable.duration(245_000)).isEqualTo("4m05s");
    assertThat(ServersCommand.ServerTable.duration(3 * 3_600_000 + 120_000)).isEqualTo("3h02m");
    assertThat(ServersCommand.ServerTable.duration(2 * 86_400_000L + 4 * 3_600_000))
        .isEqualTo("2d04h");
  }
}

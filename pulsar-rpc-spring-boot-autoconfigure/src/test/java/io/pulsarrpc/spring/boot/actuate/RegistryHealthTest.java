package io.pulsarrpc.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.inspect.ServerInspection;
import io.pulsarrpc.spring.boot.PulsarRpcRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

class RegistryHealthTest {

  private final PulsarRpcRegistry registry = new PulsarRpcRegistry();
  private final RegistryHealth health = new RegistryHealth(registry);

  private static ServerInspection server(String topic, boolean connected) {
    return new ServerInspection(
        "server-1",
        List.of(topic),
        "workers",
        connected,
        List.of("single"),
        0,
        0,
        0,
        1,
        new ServerInspection.CallCounters(0, 0, 0, 0),
        List.of(),
        null);
  }

  private Health of(String name) {
    return ((HealthIndicator) health.getContributor(name)).health();
  }

  @Test
  void anEntryIsUpWhenEveryPartIsConnectedAndDownWhenOneIsNot() {
    registry.addServer("up", () -> List.of(server("a", true), server("b", true)));
    registry.addServer("down", () -> List.of(server("a", true), server("b", false)));

    assertThat(of("up").getStatus()).isEqualTo(Status.UP);
    assertThat(of("down").getStatus()).isEqualTo(Status.DOWN);
    assertThat(of("down").getDetails()).containsKey("parts");
  }

  @Test
  void anEntryWithoutInspectablePartsIsUnknownRatherThanUp() {
    registry.addServer("streams-only", List::of);

    assertThat(of("streams-only").getStatus()).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void oneCoreServerShowsItsDetailsFlat() {
    registry.addServer("one", () -> List.of(server("orders", true)));

    assertThat(of("one").getDetails())
        .containsEntry("topics", List.of("orders"))
        .containsEntry("subscription", "workers")
        .containsEntry("inFlight", 0)
        .containsEntry("connected", true);
  }
}

package io.pulsarrpc.protobuf.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.protobuf.GeneratedService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a container reads at run time from the generated classes of {@code itest.Everything}. */
class GeneratedServiceAnnotationTest {

  @ParameterizedTest
  @ValueSource(
      classes = {EverythingClient.class, EverythingServerImpl.class, EverythingServer.class})
  void everyGeneratedPartNamesTheServiceAndAllItsParts(Class<?> part) {
    GeneratedService service = part.getAnnotation(GeneratedService.class);

    assertThat(service).as("@GeneratedService on " + part.getSimpleName()).isNotNull();
    assertThat(service.name()).isEqualTo("itest.Everything");
    assertThat(service.client()).isEqualTo(EverythingClient.class);
    assertThat(service.serverImpl()).isEqualTo(EverythingServerImpl.class);
    assertThat(service.server()).isEqualTo(EverythingServer.class);
  }

  @Test
  void annotatedNameIsTheClientsServiceName() {
    assertThat(EverythingClient.class.getAnnotation(GeneratedService.class).name())
        .isEqualTo(EverythingClient.SERVICE_NAME);
  }

  @Test
  void clientStubIsNotAnnotatedSoThatAScanFindsTheInterface() {
    assertThat(EverythingClientStub.class.getAnnotation(GeneratedService.class)).isNull();
  }
}

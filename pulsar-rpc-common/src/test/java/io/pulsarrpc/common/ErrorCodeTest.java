package io.pulsarrpc.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

  @Test
  void everyCodeHasAUniqueWireNameThatReadsBackAsItself() {
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(ErrorCode.fromWireName(code.wireName())).isEqualTo(code);
      assertThat(code.wireName()).matches("[a-z_]+");
    }
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).distinct())
        .hasSize(ErrorCode.values().length);
  }

  @Test
  void wireNamesAreTheStableOnesPeersRelyOn() {
    assertThat(ErrorCode.DEADLINE_EXCEEDED.wireName()).isEqualTo("deadline_exceeded");
    assertThat(ErrorCode.CANCELED.wireName()).isEqualTo("canceled");
    assertThat(ErrorCode.NO_RESPONDERS.wireName()).isEqualTo("no_responders");
    assertThat(ErrorCode.MALFORMED_REQUEST.wireName()).isEqualTo("malformed_request");
    assertThat(ErrorCode.RESOURCE_EXHAUSTED.wireName()).isEqualTo("resource_exhausted");
    assertThat(ErrorCode.CLIENT_TOO_OLD.wireName()).isEqualTo("client_too_old");
    assertThat(ErrorCode.SERVER_TOO_OLD.wireName()).isEqualTo("server_too_old");
  }

  @Test
  void versionRefusalsAreNotRetryableAndMapToUpgradeStatuses() {
    assertThat(ErrorCode.CLIENT_TOO_OLD.isRetryable()).isFalse();
    assertThat(ErrorCode.CLIENT_TOO_OLD.grpcCode()).isEqualTo(9);
    assertThat(ErrorCode.CLIENT_TOO_OLD.httpStatus()).isEqualTo(426);
    assertThat(ErrorCode.SERVER_TOO_OLD.isRetryable()).isFalse();
    assertThat(ErrorCode.SERVER_TOO_OLD.grpcCode()).isEqualTo(12);
    assertThat(ErrorCode.SERVER_TOO_OLD.httpStatus()).isEqualTo(501);
  }

  @Test
  void anUnknownOrMissingWireNameIsUnknown() {
    assertThat(ErrorCode.fromWireName("a_code_from_the_future")).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(ErrorCode.fromWireName(null)).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(ErrorCode.fromWireName("NOT_FOUND")).isEqualTo(ErrorCode.UNKNOWN);
  }

  @Test
  void onlyTransientFailuresAreRetryable() {
    assertThat(EnumSet.allOf(ErrorCode.class).stream().filter(ErrorCode::isRetryable))
        .containsExactlyInAnyOrder(
            ErrorCode.UNAVAILABLE,
            ErrorCode.NO_RESPONDERS,
            ErrorCode.RESOURCE_EXHAUSTED,
            ErrorCode.ABORTED);
  }

  @Test
  void codesMapToGrpcStatusCodes() {
    assertThat(ErrorCode.CANCELED.grpcCode()).isEqualTo(1);
    assertThat(ErrorCode.UNKNOWN.grpcCode()).isEqualTo(2);
    assertThat(ErrorCode.INVALID_ARGUMENT.grpcCode()).isEqualTo(3);
    assertThat(ErrorCode.DEADLINE_EXCEEDED.grpcCode()).isEqualTo(4);
    assertThat(ErrorCode.NOT_FOUND.grpcCode()).isEqualTo(5);
    assertThat(ErrorCode.ALREADY_EXISTS.grpcCode()).isEqualTo(6);
    assertThat(ErrorCode.PERMISSION_DENIED.grpcCode()).isEqualTo(7);
    assertThat(ErrorCode.RESOURCE_EXHAUSTED.grpcCode()).isEqualTo(8);
    assertThat(ErrorCode.FAILED_PRECONDITION.grpcCode()).isEqualTo(9);
    assertThat(ErrorCode.ABORTED.grpcCode()).isEqualTo(10);
    assertThat(ErrorCode.OUT_OF_RANGE.grpcCode()).isEqualTo(11);
    assertThat(ErrorCode.UNIMPLEMENTED.grpcCode()).isEqualTo(12);
    assertThat(ErrorCode.INTERNAL.grpcCode()).isEqualTo(13);
    assertThat(ErrorCode.UNAVAILABLE.grpcCode()).isEqualTo(14);
    assertThat(ErrorCode.NO_RESPONDERS.grpcCode()).isEqualTo(14);
    assertThat(ErrorCode.UNAUTHENTICATED.grpcCode()).isEqualTo(16);
  }

  @Test
  void codesMapToHttpStatuses() {
    assertThat(ErrorCode.NOT_FOUND.httpStatus()).isEqualTo(404);
    assertThat(ErrorCode.UNAUTHENTICATED.httpStatus()).isEqualTo(401);
    assertThat(ErrorCode.PERMISSION_DENIED.httpStatus()).isEqualTo(403);
    assertThat(ErrorCode.RESOURCE_EXHAUSTED.httpStatus()).isEqualTo(429);
    assertThat(ErrorCode.DEADLINE_EXCEEDED.httpStatus()).isEqualTo(504);
    assertThat(ErrorCode.UNAVAILABLE.httpStatus()).isEqualTo(503);
    assertThat(ErrorCode.INTERNAL.httpStatus()).isEqualTo(500);
    assertThat(ErrorCode.UNIMPLEMENTED.httpStatus()).isEqualTo(501);
    assertThat(ErrorCode.CANCELED.httpStatus()).isEqualTo(499);
  }

  @Test
  void anRpcExceptionKeepsItsCodeAndACopyOfItsDetails() {
    java.util.HashMap<String, String> details = new java.util.HashMap<>(Map.of("k", "v"));
    RpcException error = new RpcException(ErrorCode.ABORTED, "conflict", details);
    details.put("later", "x");

    assertThat(error.code()).isEqualTo(ErrorCode.ABORTED);
    assertThat(error.getMessage()).isEqualTo("conflict");
    assertThat(error.details()).containsOnlyKeys("k");
  }

  @Test
  void anRpcExceptionRefusesAMissingCodeOrBadDetails() {
    assertThatThrownBy(() -> new RpcException(null, "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("code");
    assertThatThrownBy(() -> new RpcException(ErrorCode.INTERNAL, "m", Map.of(" ", "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("details");
  }

  @Test
  void everyClientFailureCarriesACode() {
    assertThat(new PulsarRpcClientException.TimeoutException("t").code())
        .isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(new PulsarRpcClientException.ClientClosedException("c").code())
        .isEqualTo(ErrorCode.CANCELED);
    assertThat(new PulsarRpcClientException.SendException("s", new RuntimeException()).code())
        .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(new PulsarRpcClientException.TooManyPendingRequestsException("f").code())
        .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    assertThat(new PulsarRpcClientException.DuplicateCorrelationIdException("d").code())
        .isEqualTo(ErrorCode.ALREADY_EXISTS);
    assertThat(new PulsarRpcClientException.ReplyErrorException("sub", "legacy").code())
        .isEqualTo(ErrorCode.UNKNOWN);
    assertThat(new PulsarRpcClientException("plain").code()).isEqualTo(ErrorCode.UNKNOWN);
  }
}

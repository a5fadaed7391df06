package io.pulsarrpc.common.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.common.ErrorCode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiVersionsTest {

  private final ApiVersions twoToThree = new ApiVersions(2, 3);

  @Test
  void aClientOlderThanTheMinimumIsTooOldAndTheMessageNamesBothVersions() {
    ApiVersions.Refusal refusal = twoToThree.check("1");

    assertThat(refusal.code()).isEqualTo(ErrorCode.CLIENT_TOO_OLD);
    assertThat(refusal.message())
        .startsWith("client speaks version 1, this server supports 2 to 3");
  }

  @Test
  void aClientNewerThanTheCurrentVersionFindsTheServerTooOld() {
    ApiVersions.Refusal refusal = twoToThree.check("4");

    assertThat(refusal.code()).isEqualTo(ErrorCode.SERVER_TOO_OLD);
    assertThat(refusal.message())
        .startsWith("client speaks version 4, this server supports 2 to 3");
  }

  @Test
  void everyVersionInTheRangeIsServed() {
    assertThat(twoToThree.check("2")).isNull();
    assertThat(twoToThree.check("3")).isNull();
    assertThat(new ApiVersions(5, 5).check("5")).isNull();
  }

  @Test
  void aCallerWithoutVersionIsNotChecked() {
    assertThat(twoToThree.check(null)).isNull();
  }

  @Test
  void aVersionThatIsNotAWholeNumberFromOneIsMalformed() {
    for (String garbage : new String[] {"abc", "0", "-2", "", "2.5"}) {
      ApiVersions.Refusal refusal = twoToThree.check(garbage);

      assertThat(refusal.code()).as(garbage).isEqualTo(ErrorCode.MALFORMED_REQUEST);
      assertThat(refusal.message()).contains("rpc-api-version", "'" + garbage + "'");
    }
  }

  @Test
  void aRangeMustStartAtOneAndNotEndBeforeItStarts() {
    assertThat(ApiVersions.rangeProblem(1, 1)).isNull();
    assertThat(ApiVersions.rangeProblem(0, 2)).contains("minimum must be at least 1, got 0");
    assertThat(ApiVersions.rangeProblem(3, 2)).contains("minimum 3 is above current 2");
    assertThatThrownBy(() -> new ApiVersions(3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minimum 3 is above current 2");
  }

  @Test
  void onlyADeclaredVersionIsWritten() {
    Map<String, String> properties = new HashMap<>();

    ApiVersions.write(properties, 0);
    assertThat(properties).isEmpty();

    ApiVersions.write(properties, 7);
    assertThat(properties).containsExactly(Map.entry("rpc-api-version", "7"));
  }
}

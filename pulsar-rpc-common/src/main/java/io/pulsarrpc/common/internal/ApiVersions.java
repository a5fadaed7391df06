package io.pulsarrpc.common.internal;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.WireProperties;
import java.util.Map;

/**
 * The API versions a server supports, from {@code minimum} to {@code current}, and the one check of
 * a caller's {@value WireProperties#API_VERSION} property against them, shared by the request and
 * the stream server so that both refuse with the same codes and words. Not API. Immutable.
 *
 * @param minimum the oldest version the server still serves, at least 1
 * @param current the newest version the server serves, at least {@code minimum}
 */
public record ApiVersions(int minimum, int current) {

  /** Why a caller's version is not served: the code and message of the refusal. */
  public record Refusal(ErrorCode code, String message) {}

  /**
   * @throws IllegalArgumentException unless {@code 1 <= minimum <= current}
   */
  public ApiVersions {
    String problem = rangeProblem(minimum, current);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * What is wrong with a range, in the words the builders use, or null when it is valid.
   *
   * @param minimum the oldest version served
   * @param current the newest version served
   */
  public static String rangeProblem(int minimum, int current) {
    if (minimum < 1) {
      return "apiVersions minimum must be at least 1, got " + minimum;
    }
    if (minimum > current) {
      return "apiVersions minimum "
          + minimum
          + " is above current "
          + current
          + ": a server supports the versions from minimum to current";
    }
    return null;
  }

  /**
   * Adds {@code version} to a message's properties as {@value WireProperties#API_VERSION}; adds
   * nothing when it is 0 (the caller declares none).
   */
  public static void write(Map<String, String> properties, int version) {
    if (version > 0) {
      properties.put(WireProperties.API_VERSION, Integer.toString(version));
    }
  }

  /**
   * The refusal of a caller whose {@value WireProperties#API_VERSION} property is {@code version},
   * or null when this range serves it. A caller without the property is served: unversioned callers
   * are not checked.
   *
   * @param version the property's value as sent, or null when absent
   */
  public Refusal check(String version) {
    if (version == null) {
      return null;
    }
    int spoken;
    try {
      spoken = Integer.parseInt(version.strip());
    } catch (NumberFormatException e) {
      spoken = 0;
    }
    if (spoken < 1) {
      return new Refusal(
          ErrorCode.MALFORMED_REQUEST,
          "malformed request: property "
              + WireProperties.API_VERSION
              + " is not a version (a whole number from 1): '"
              + version
              + "'");
    }
    if (spoken < minimum) {
      return new Refusal(ErrorCode.CLIENT_TOO_OLD, describe(spoken) + ": upgrade the client");
    }
    if (spoken > current) {
      return new Refusal(ErrorCode.SERVER_TOO_OLD, describe(spoken) + ": upgrade the server");
    }
    return null;
  }

  private String describe(int spoken) {
    return "client speaks version "
        + spoken
        + ", this server supports "
        + minimum
        + " to "
        + current;
  }
}

package io.pulsarrpc.common;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Why a call failed, as a stable code that crosses the wire (in the {@value
 * WireProperties#ERROR_CODE} property of an error reply, as its {@link #wireName()}). The codes
 * follow gRPC's status codes where one fits, so they map to gRPC and HTTP statuses for gateways and
 * dashboards.
 *
 * <p>{@link #isRetryable()} says whether the same call may succeed if sent again later (with
 * backoff, and within the caller's deadline): the failure was transient and the server did not act
 * on the request, or acting twice is harmless by contract of the code. Retrying any other code
 * sends the same failure again.
 */
public enum ErrorCode {
  /** The caller gave up: the client was closed, or the call was cancelled or interrupted. */
  CANCELED("canceled", false, 1, 499),
  /** No reply came before the call's deadline. The server may still have acted. */
  DEADLINE_EXCEEDED("deadline_exceeded", false, 4, 504),
  /** The bus or a server could not be reached for now; retry with backoff. */
  UNAVAILABLE("unavailable", true, 14, 503),
  /** No server consumes the request topic; retry once one is deployed. */
  NO_RESPONDERS("no_responders", true, 14, 503),
  /** The server could not read the request (undecodable value, missing or bad properties). */
  MALFORMED_REQUEST("malformed_request", false, 3, 400),
  /** The client could not read the reply. */
  MALFORMED_RESPONSE("malformed_response", false, 13, 502),
  /** The request is well-formed but its content is not acceptable to the handler. */
  INVALID_ARGUMENT("invalid_argument", false, 3, 400),
  /** What the request names does not exist. */
  NOT_FOUND("not_found", false, 5, 404),
  /** What the request would create exists already (or a call with the same id is pending). */
  ALREADY_EXISTS("already_exists", false, 6, 409),
  /** The caller is known but not allowed to do this. */
  PERMISSION_DENIED("permission_denied", false, 7, 403),
  /** The caller's identity is missing or not valid. */
  UNAUTHENTICATED("unauthenticated", false, 16, 401),
  /** A quota or bound is used up (for example the client's pending-call bound); retry later. */
  RESOURCE_EXHAUSTED("resource_exhausted", true, 8, 429),
  /** The system is not in the state the call needs (for example delayed delivery is off). */
  FAILED_PRECONDITION("failed_precondition", false, 9, 400),
  /** The call lost a concurrency conflict and did nothing; retry the whole call. */
  ABORTED("aborted", true, 10, 409),
  /** The request asks for something past a valid range. */
  OUT_OF_RANGE("out_of_range", false, 11, 400),
  /** The server does not implement this call. */
  UNIMPLEMENTED("unimplemented", false, 12, 501),
  /**
   * The caller's API version ({@value WireProperties#API_VERSION}) is older than the oldest the
   * server still supports; the server refused the call before its handler ran. Not retryable: the
   * same client sends the same version again; upgrade the client. gRPC {@code FAILED_PRECONDITION}
   * (9), as the server is in no state to serve this caller (not {@code INVALID_ARGUMENT}: the
   * request itself is well-formed), and HTTP 426 Upgrade Required, whose meaning is exactly "this
   * server will not serve the protocol the client speaks; upgrade".
   */
  CLIENT_TOO_OLD("client_too_old", false, 9, 426),
  /**
   * The caller's API version is newer than the server's current one: the caller may rely on what
   * this server does not implement yet, so the server refused the call before its handler ran. Not
   * retryable: the answer changes only once the server is upgraded. gRPC {@code UNIMPLEMENTED} (12)
   * and HTTP 501 Not Implemented: the server lacks what the caller's version asks for, as for a
   * method it does not know.
   */
  SERVER_TOO_OLD("server_too_old", false, 12, 501),
  /** The handler failed: a bug or broken invariant on the server's side. */
  INTERNAL("internal", false, 13, 500),
  /** The failure has no better code, or a peer sent a code this version does not know. */
  UNKNOWN("unknown", false, 2, 500);

  private static final Map<String, ErrorCode> BY_WIRE_NAME =
      Stream.of(values())
          .collect(Collectors.toUnmodifiableMap(c -> c.wireName, Function.identity()));

  private final String wireName;
  private final boolean retryable;
  private final int grpcCode;
  private final int httpStatus;

  ErrorCode(String wireName, boolean retryable, int grpcCode, int httpStatus) {
    this.wireName = wireName;
    this.retryable = retryable;
    this.grpcCode = grpcCode;
    this.httpStatus = httpStatus;
  }

  /** The name on the wire, such as {@code deadline_exceeded}; stable across versions. */
  public String wireName() {
    return wireName;
  }

  /** Whether the same call may succeed when sent again later; see the class comment. */
  public boolean isRetryable() {
    return retryable;
  }

  /** The number of the matching gRPC status code ({@code io.grpc.Status.Code#value()}). */
  public int grpcCode() {
    return grpcCode;
  }

  /** The matching HTTP status, for gateways (499 is the de facto "client closed request"). */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The code with this wire name; {@link #UNKNOWN} for null or a name this version does not know,
   * so that a newer peer's code never breaks an older client.
   */
  public static ErrorCode fromWireName(String wireName) {
    ErrorCode code = wireName == null ? null : BY_WIRE_NAME.get(wireName);
    return code == null ? UNKNOWN : code;
  }
}

package io.pulsarrpc.server;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.internal.ApiVersions;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to a received request before any user code runs, in this order: a request
 * that cannot be read (no key, missing or invalid properties) is refused; one whose reply topic is
 * outside the allow-list is acknowledged unanswered; one whose API version the server does not
 * support is refused ({@link ApiVersions}; an affinity call is acknowledged without an offer
 * instead); one delivered well before its {@code deliverAt} is refused, and one a little early is
 * held until its time; then, when it is due, one whose deadline passed is acknowledged unanswered,
 * and one larger than {@code maxRequestSize} or whose value does not decode (or is null) is
 * refused. What passes runs.
 *
 * <p>Admission only decides; it does not touch the message. The {@link Decision} it returns names
 * what to do, and the engine does it. It logs the requests it skips unanswered (a refusal is logged
 * where it is answered, by {@link ReplyPublisher#refuse}).
 *
 * <p>Threads: {@link #onArrival} runs on the receive path and {@link #whenDue} on the receive path
 * or the timer thread, so neither blocks. Immutable and thread-safe.
 *
 * @param <T> the type of request values
 */
final class RequestAdmission<T> {

  private static final Logger log = LoggerFactory.getLogger(RequestAdmission.class);

  /** What to do with a request. */
  sealed interface Decision<T>
      permits RequestAdmission.Run,
          RequestAdmission.HoldUntilDue,
          RequestAdmission.Acknowledge,
          RequestAdmission.Refuse {}

  /** Run the handler on {@code value}, the request's decoded value (never null). */
  record Run<T>(T value) implements Decision<T> {}

  /**
   * Keep the request unacknowledged for {@code delayMillis}, then ask {@link #whenDue} about it: it
   * came a little before its {@code deliverAt}, as brokers may deliver.
   */
  record HoldUntilDue<T>(long delayMillis) implements Decision<T> {}

  /** Acknowledge the request without answering it (its deadline passed, or its reply topic). */
  record Acknowledge<T>() implements Decision<T> {}

  /**
   * Answer with an error and acknowledge, without running the handler. {@code answerable} says
   * whether there is a correlation id and an allowed reply topic to answer on; when there is not,
   * the request is only acknowledged.
   */
  record Refuse<T>(ErrorCode code, String problem, boolean answerable) implements Decision<T> {}

  private final String subscription;
  private final Pattern replyTopicAllowList;
  private final long earlyDeliveryToleranceMillis;
  private final int maxRequestSize;
  private final ApiVersions apiVersions;

  /**
   * @param replyTopicAllowList the reply topics the server publishes to, or null for any
   * @param maxRequestSize the largest request value in bytes, or 0 for no limit
   * @param apiVersions the API versions the server supports, or null for no check
   */
  RequestAdmission(
      String subscription,
      Pattern replyTopicAllowList,
      long earlyDeliveryToleranceMillis,
      int maxRequestSize,
      ApiVersions apiVersions) {
    this.subscription = subscription;
    this.replyTopicAllowList = replyTopicAllowList;
    this.earlyDeliveryToleranceMillis = earlyDeliveryToleranceMillis;
    this.maxRequestSize = maxRequestSize;
    this.apiVersions = apiVersions;
  }

  /** The decision on a request just received. */
  Decision<T> onArrival(InFlightCall<T> call) {
    RequestHeaders request = call.headers();
    if (request.problem() != null) {
      return refuse(
          request, ErrorCode.MALFORMED_REQUEST, "malformed request: " + request.problem());
    }
    if (!replyTopicAllowed(request.replyTopic())) {
      log.warn(
          "Server {} refuses request {}: reply topic {} is not in the allow-list {}",
          subscription,
          request.correlationId(),
          request.replyTopic(),
          replyTopicAllowList);
      return new Acknowledge<>();
    }
    ApiVersions.Refusal version =
        apiVersions == null ? null : apiVersions.check(request.apiVersion());
    if (version != null) {
      return refuseVersion(request, version);
    }
    long early = request.deliverAt() - System.currentTimeMillis();
    if (early > earlyDeliveryToleranceMillis) {
      return refuse(
          request,
          ErrorCode.FAILED_PRECONDITION,
          "scheduled request arrived "
              + early
              + " ms before its deliverAt: the broker does not delay delivery (is delayed"
              + " delivery disabled on the broker?); refusing to run it early");
    }
    if (early > 0) {
      return new HoldUntilDue<>(early);
    }
    return whenDue(call);
  }

  /** The decision on a request whose delivery time has come (no earlier than {@code deliverAt}). */
  Decision<T> whenDue(InFlightCall<T> call) {
    RequestHeaders request = call.headers();
    if (System.currentTimeMillis() >= request.deadline()) {
      log.debug(
          "Server {} skips request {}: its deadline passed before it arrived",
          subscription,
          request.correlationId());
      return new Acknowledge<>();
    }
    IncomingMessage<T> message = call.message();
    int size = maxRequestSize > 0 ? message.data().length : 0;
    if (size > maxRequestSize) {
      return refuse(
          request,
          ErrorCode.INVALID_ARGUMENT,
          "request of "
              + size
              + " bytes is larger than the server's maxRequestSize of "
              + maxRequestSize
              + " bytes");
    }
    T value;
    try {
      value = message.value();
    } catch (MessageDecodeException e) {
      return refuse(
          request,
          ErrorCode.MALFORMED_REQUEST,
          "malformed request: cannot decode the request value: " + e.getMessage());
    }
    if (value == null) {
      return refuse(
          request, ErrorCode.MALFORMED_REQUEST, "malformed request: the request value is null");
    }
    return new Run<>(value);
  }

  /**
   * An affinity call is acknowledged without an offer, so that the caller selects a server that
   * supports its version: a refusal sent as a reply would end the call even when another server
   * offers. Any other call is refused.
   */
  private Decision<T> refuseVersion(RequestHeaders request, ApiVersions.Refusal version) {
    if (request.kind() == CallKind.AFFINITY) {
      log.debug(
          "Server {} makes no offer for affinity call {}: {}",
          subscription,
          request.correlationId(),
          version.message());
      return new Acknowledge<>();
    }
    return refuse(request, version.code(), version.message());
  }

  private Refuse<T> refuse(RequestHeaders request, ErrorCode code, String problem) {
    boolean answerable =
        request.correlationId() != null
            && request.replyTopic() != null
            && replyTopicAllowed(request.replyTopic());
    return new Refuse<>(code, problem, answerable);
  }

  private boolean replyTopicAllowed(String replyTopic) {
    return replyTopicAllowList == null || replyTopicAllowList.matcher(replyTopic).matches();
  }
}

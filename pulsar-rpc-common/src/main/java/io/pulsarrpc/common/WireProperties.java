package io.pulsarrpc.common;

/**
 * Names of the message properties of the RPC protocol. The first five are those of the Pulsar RPC
 * proposal (PCIP-1), so a peer that speaks only the proposal's protocol interoperates; those this
 * product adds start with {@value #PREFIX}. See {@code docs/protocol.md}.
 */
public final class WireProperties {

  /** On a request: the topic the server must publish the reply to. */
  public static final String REPLY_TOPIC = "replyTopic";

  /**
   * On a request: the caller's timeout in milliseconds. The deadline is the publish time (or {@link
   * #DELIVER_AT} for a scheduled request) plus this.
   */
  public static final String REQUEST_TIMEOUT_IN_MILLIS = "requestTimeoutInMillis";

  /**
   * On a request and its reply: epoch milliseconds of scheduled delivery, echoed on the reply so
   * that a late reply can still be correlated.
   */
  public static final String DELIVER_AT = "deliverAt";

  /**
   * On a reply: the subscription of the server that answered, which tells fan-out replies apart.
   */
  public static final String SERVER_SUB = "serverSub";

  /**
   * On a reply: present when the call failed, with the server's message; the value is then empty.
   */
  public static final String ERROR_MESSAGE = "errorMessage";

  /** The prefix of every property this product adds to the proposal's protocol. */
  public static final String PREFIX = "rpc-";

  /**
   * On a request and its reply: the reply subscription of the client that sent the request. When
   * several clients each have a subscription on one reply topic, each sees every reply; a client
   * ignores replies that name another client's subscription. A reply without it (from a peer that
   * speaks only the proposal's protocol) is for any client.
   */
  public static final String REPLY_SUBSCRIPTION = PREFIX + "reply-subscription";

  /**
   * On an error reply: the {@link ErrorCode#wireName()} of the failure, beside {@link
   * #ERROR_MESSAGE}. An error reply without it (from a peer that speaks only the proposal's
   * protocol) is {@link ErrorCode#UNKNOWN}.
   */
  public static final String ERROR_CODE = PREFIX + "error-code";

  /**
   * On a request: the prefix of each metadata entry the caller attached ({@code rpc-meta-tenant}
   * carries the entry {@code tenant}).
   */
  public static final String METADATA_PREFIX = PREFIX + "meta-";

  /** On an error reply: the prefix of each {@linkplain RpcException#details() detail}'s key. */
  public static final String ERROR_DETAIL_PREFIX = PREFIX + "error-detail-";

  /**
   * On a request: the call kind, absent for a single call (the proposal's). {@code multi}: every
   * server group (subscription) that receives it claims it, then answers. {@code affinity}: every
   * server instance offers a score, and only the one the caller selects runs it. {@code stream}: a
   * frame of a bidirectional stream (see {@link #FRAME}).
   *
   * <p>On a message of an update topic: {@code update}, a server-pushed update.
   */
  public static final String KIND = PREFIX + "kind";

  /**
   * On a single call's request: {@code true} when the caller wants a claim (a topic call, or a call
   * that fails fast without servers): the server that takes it claims it before running it.
   */
  public static final String CLAIM = PREFIX + "claim";

  /** On a request: the call's topic, when it has one (routing is by bus topic; this informs). */
  public static final String TOPIC = PREFIX + "topic";

  /**
   * On a message of the reply topic: absent for a reply (the proposal's); {@code claim} when a
   * server took the request and will answer; {@code offer} for an affinity offer. On the affinity
   * topic: {@code select}, the caller's choice of server instance.
   */
  public static final String MESSAGE = PREFIX + "message";

  /** On claims, offers, replies and selections: the id of one server instance. */
  public static final String SERVER_ID = PREFIX + "server";

  /** On an affinity offer: the server's score for the request, a decimal number. */
  public static final String AFFINITY = PREFIX + "affinity";

  /**
   * On a stream frame ({@value #KIND} {@code stream}): what the frame is: {@code open}, {@code
   * accept}, {@code confirm}, {@code data}, {@code ack}, {@code heartbeat} or {@code close}.
   */
  public static final String FRAME = PREFIX + "frame";

  /**
   * On a stream's {@code data} frame: its sequence number (1, 2, ... per direction); on an {@code
   * ack}: the highest sequence number the receiver's application took.
   */
  public static final String SEQUENCE = PREFIX + "seq";

  /** On every stream frame: the sender's inbox, the topic its peer answers to. */
  public static final String STREAM_INBOX = PREFIX + "stream-inbox";

  /** On a stream's {@code open} and {@code accept}: how many messages the sender buffers. */
  public static final String STREAM_WINDOW = PREFIX + "stream-window";

  /** On a stream's {@code open} and {@code accept}: the sender's heartbeat interval, in ms. */
  public static final String STREAM_HEARTBEAT_MS = PREFIX + "stream-heartbeat-ms";

  /** On a stream's {@code open}: how long the stream may last, in ms from the open. */
  public static final String STREAM_DEADLINE_MS = PREFIX + "stream-deadline-ms";

  /** On a stream's {@code open}: the stream's idle timeout, in ms. */
  public static final String STREAM_IDLE_MS = PREFIX + "stream-idle-ms";

  /**
   * On a request (of any call kind) and on a stream's {@code open}: the API version the caller
   * speaks, a decimal whole number from 1; absent when the caller declares none. A server with a
   * supported range refuses a version below it with {@link ErrorCode#CLIENT_TOO_OLD} and one above
   * it with {@link ErrorCode#SERVER_TOO_OLD}, before its handler runs; a server without a range, or
   * a request without the property, is not checked.
   */
  public static final String API_VERSION = PREFIX + "api-version";

  private WireProperties() {}
}

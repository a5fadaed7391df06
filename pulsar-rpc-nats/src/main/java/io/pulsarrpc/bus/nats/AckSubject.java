package io.pulsarrpc.bus.nats;

/**
 * What the consumer needs from the reply subject of a JetStream message, parsed without the rest.
 * The server puts a message's delivery metadata in the subject its acknowledgement goes to: {@code
 * $JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<timestamp
 * ns>.<pending>[.<token>]}, or without domain and account ({@code $JS.ACK.<stream>.<consumer>...},
 * nine tokens) from older servers. jnats's {@code message.metaData()} parses every token and builds
 * a zoned date-time for each message; the consumer reads three numbers.
 *
 * @param deliveredCount how many times the server delivered the message, this time included
 * @param streamSequence the message's sequence in its stream
 * @param timestampMillis when the server stored the message, in epoch milliseconds
 */
record AckSubject(long deliveredCount, long streamSequence, long timestampMillis) {

  private static final String PREFIX = "$JS.ACK.";
  private static final int MAX_TOKENS = 12;

  /**
   * Parses {@code replyTo}.
   *
   * @throws IllegalArgumentException when it is not a JetStream acknowledgement subject
   */
  static AckSubject parse(String replyTo) {
    if (replyTo == null || !replyTo.startsWith(PREFIX)) {
      throw notAnAckSubject(replyTo);
    }
    // Token boundaries: starts[i] is where token i begins, ends[i] where it ends.
    int[] starts = new int[MAX_TOKENS];
    int[] ends = new int[MAX_TOKENS];
    int count = 0;
    int start = 0;
    for (int i = 0; i <= replyTo.length(); i++) {
      if (i == replyTo.length() || replyTo.charAt(i) == '.') {
        if (count == MAX_TOKENS) {
          throw notAnAckSubject(replyTo);
        }
        starts[count] = start;
        ends[count] = i;
        count++;
        start = i + 1;
      }
    }
    // An old server's nine tokens lack the domain and account: the numbers come two tokens early.
    int shift;
    if (count == 9) {
      shift = -2;
    } else if (count >= 11) {
      shift = 0;
    } else {
      throw notAnAckSubject(replyTo);
    }
    try {
      return new AckSubject(
          Long.parseLong(replyTo, starts[6 + shift], ends[6 + shift], 10),
          Long.parseLong(replyTo, starts[7 + shift], ends[7 + shift], 10),
          Long.parseLong(replyTo, starts[9 + shift], ends[9 + shift], 10) / 1_000_000);
    } catch (NumberFormatException e) {
      throw notAnAckSubject(replyTo);
    }
  }

  private static IllegalArgumentException notAnAckSubject(String replyTo) {
    return new IllegalArgumentException(
        "not a JetStream acknowledgement subject: '" + replyTo + "'");
  }
}

package io.pulsarrpc.benchmarks;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The physical limit on Redis Streams, with Lettuce: XADD to a request stream; a responder reads it
 * with a consumer group (XREADGROUP BLOCK, up to {@link #BATCH} entries a read), XACKs each entry
 * and XADDs the answer to a reply stream, which a second group reads the same way to complete the
 * call. Each blocking reader has a connection and a thread of its own. The caller and the responder
 * each use a client of their own (its own I/O threads), as two processes would, and as the RPC
 * client and server of the same run do.
 */
final class RawRedisRoundTrip implements RawRoundTrip {

  private static final Logger log = LoggerFactory.getLogger(RawRedisRoundTrip.class);
  private static final int BATCH = 256;
  private static final Duration BLOCK = Duration.ofMillis(500);
  private static final byte[] ID = bytes("id");
  private static final byte[] BODY = bytes("body");
  private static final XAddArgs TRIMMED = XAddArgs.Builder.maxlen(100_000).approximateTrimming();

  private final byte[] payload;
  private final byte[] requestStream;
  private final byte[] replyStream;
  private final PendingAnswers pending = new PendingAnswers();
  private final StatefulRedisConnection<byte[], byte[]> callerWrites;
  private final StatefulRedisConnection<byte[], byte[]> callerReads;
  private final StatefulRedisConnection<byte[], byte[]> responderWrites;
  private final StatefulRedisConnection<byte[], byte[]> responderReads;
  private final Thread responder;
  private final Thread caller;
  private volatile boolean closed;

  RawRedisRoundTrip(
      RedisClient callerClient, RedisClient responderClient, String name, byte[] payload) {
    this.payload = payload;
    this.requestStream = bytes(name + "-requests");
    this.replyStream = bytes(name + "-replies");
    this.callerWrites = callerClient.connect(ByteArrayCodec.INSTANCE);
    this.callerReads = callerClient.connect(ByteArrayCodec.INSTANCE);
    this.responderWrites = responderClient.connect(ByteArrayCodec.INSTANCE);
    this.responderReads = responderClient.connect(ByteArrayCodec.INSTANCE);
    createGroup(requestStream, "raw-responder");
    createGroup(replyStream, "raw-caller");
    this.responder =
        reader("raw-redis-responder", responderReads, requestStream, "raw-responder", this::answer);
    this.caller =
        reader("raw-redis-caller", callerReads, replyStream, "raw-caller", this::complete);
    responder.start();
    caller.start();
  }

  @Override
  public CompletableFuture<?> start(String id) {
    return pending.send(
        id,
        () ->
            callerWrites
                .async()
                .xadd(requestStream, TRIMMED, Map.of(ID, bytes(id), BODY, payload)));
  }

  @Override
  public void close() {
    closed = true;
    try {
      responder.join(BLOCK.toMillis() * 4);
      caller.join(BLOCK.toMillis() * 4);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    callerWrites.sync().del(requestStream, replyStream);
    callerWrites.close();
    callerReads.close();
    responderWrites.close();
    responderReads.close();
  }

  private void answer(StreamMessage<byte[], byte[]> request) {
    responderWrites.async().xack(requestStream, bytes("raw-responder"), request.getId());
    Map<byte[], byte[]> body = request.getBody();
    byte[] id = valueOf(body, ID);
    responderWrites.async().xadd(replyStream, TRIMMED, Map.of(ID, id, BODY, valueOf(body, BODY)));
  }

  private void complete(StreamMessage<byte[], byte[]> reply) {
    callerWrites.async().xack(replyStream, bytes("raw-caller"), reply.getId());
    pending.answered(new String(valueOf(reply.getBody(), ID), StandardCharsets.UTF_8));
  }

  private void createGroup(byte[] stream, String group) {
    try {
      callerWrites
          .sync()
          .xgroupCreate(
              XReadArgs.StreamOffset.latest(stream),
              bytes(group),
              XGroupCreateArgs.Builder.mkstream());
    } catch (RedisBusyException e) {
      // The group exists already.
    }
  }

  // Lettuce's xreadgroup takes its stream offsets as generic varargs.
  @SuppressWarnings("unchecked")
  private Thread reader(
      String threadName,
      StatefulRedisConnection<byte[], byte[]> connection,
      byte[] stream,
      String group,
      java.util.function.Consumer<StreamMessage<byte[], byte[]>> handler) {
    Thread thread =
        new Thread(
            () -> {
              Consumer<byte[]> consumer = Consumer.from(bytes(group), bytes(threadName));
              XReadArgs args = XReadArgs.Builder.block(BLOCK).count(BATCH);
              while (!closed) {
                try {
                  List<StreamMessage<byte[], byte[]>> entries =
                      connection
                          .async()
                          .xreadgroup(consumer, args, XReadArgs.StreamOffset.lastConsumed(stream))
                          .get(BLOCK.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                  entries.forEach(handler);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  if (!closed) {
                    log.warn("{} failed to read; stopping: {}", threadName, e.toString());
                  }
                  return;
                }
              }
            },
            threadName);
    thread.setDaemon(true);
    return thread;
  }

  /** Lettuce hands stream fields back in a map keyed by byte arrays, which compare by identity. */
  private static byte[] valueOf(Map<byte[], byte[]> body, byte[] field) {
    for (Map.Entry<byte[], byte[]> entry : body.entrySet()) {
      if (java.util.Arrays.equals(entry.getKey(), field)) {
        return entry.getValue();
      }
    }
    return new byte[0];
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

package io.pulsarrpc.bus.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the threads of the SDK: daemon threads, so that a client, server or bus its user forgot to
 * close never keeps the JVM alive, named {@code <name>-<n>} (n counting from 1), so that a thread
 * dump tells whose each thread is. Every thread the SDK starts comes from one of these.
 *
 * <p>Name threads after their owner and job, starting with {@code pulsar-rpc-}, e.g. {@code
 * pulsar-rpc-redis-bus-3-timer}. Thread-safe.
 */
public final class DaemonThreadFactory implements ThreadFactory {

  private final String name;
  private final AtomicInteger count = new AtomicInteger();

  /**
   * @param name what the name of every thread starts with
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public DaemonThreadFactory(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("thread name must not be blank");
    }
    this.name = name;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public String toString() {
    return "DaemonThreadFactory[" + name + "]";
  }
}

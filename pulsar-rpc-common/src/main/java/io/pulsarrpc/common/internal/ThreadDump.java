package io.pulsarrpc.common.internal;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * Writes the thread dump of this JVM as text: what a server's inspection returns on request, and
 * what the test suites print when something does not finish. Stateless; any thread. Not API.
 */
public final class ThreadDump {

  private ThreadDump() {}

  /** The threads of this JVM with their full stacks and the locks they wait on or hold. */
  public static String ofThisJvm() {
    StringBuilder dump = new StringBuilder(16_384);
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append('"')
          .append(thread.getThreadName())
          .append("\" #")
          .append(thread.getThreadId())
          .append(' ')
          .append(thread.getThreadState());
      if (thread.getLockName() != null) {
        dump.append(" on ").append(thread.getLockName());
      }
      if (thread.getLockOwnerName() != null) {
        dump.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
      }
      dump.append('\n');
      // ThreadInfo.toString() stops after eight frames; a dump wants them all.
      for (StackTraceElement frame : thread.getStackTrace()) {
        dump.append("\tat ").append(frame).append('\n');
      }
      for (LockInfo lock : thread.getLockedSynchronizers()) {
        dump.append("\t- holds ").append(lock).append('\n');
      }
      dump.append('\n');
    }
    return dump.toString();
  }
}

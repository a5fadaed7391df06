package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.common.internal.ThreadDump;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;

/**
 * What the RPC suites share: the bus of the running test, made on first use, unique topic names,
 * and the resources a test opened, closed after it in reverse order and then the bus. One instance
 * per test, as JUnit makes them; not thread-safe (tests call it from their own thread).
 */
abstract class BusSuite {

  /**
   * A new bus of the adapter under test, as the adapter's users would configure it. Called once per
   * test, when the test first needs the bus; the suite closes it after the test, once the test's
   * clients, servers, producers and consumers are closed. A bus made on a client or connection the
   * test class shares leaves that client working when it closes.
   */
  protected abstract MessageBus newBus();

  /** How long a bus may take to close after a test before the suite reports it with a dump. */
  private static final Duration BUS_CLOSE_PATIENCE = Duration.ofMinutes(3);

  private MessageBus bus;
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** The bus of the running test, made by {@link #newBus()} on first use. */
  protected final MessageBus bus() {
    if (bus == null) {
      bus = newBus();
    }
    return bus;
  }

  /**
   * A topic name no other test uses, valid on this bus; {@code name} is a readable hint. Default:
   * {@link BusTestSupport#uniqueName(String)}, the name, a dash and eight random hexadecimal
   * digits. Override where the bus wants another form (a Pulsar topic in a namespace of the test
   * broker, for example).
   */
  protected String newTopic(String name) {
    return BusTestSupport.uniqueName(name);
  }

  /** Closes {@code resource} after the test, before the bus and before what was tracked earlier. */
  protected <R extends AutoCloseable> R track(R resource) {
    resources.add(resource);
    return resource;
  }

  @AfterEach
  public void closeWhatTheTestOpened() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable resource : resources) {
      resource.close();
    }
    if (bus != null) {
      closeTheBus();
    }
  }

  /**
   * Closes the bus, failing the test with every thread's stack when that takes longer than {@link
   * #BUS_CLOSE_PATIENCE}: a bus whose close never completes then leaves what is needed to find the
   * step that hangs, instead of a bare timeout.
   */
  private void closeTheBus() throws Exception {
    try {
      bus.closeAsync().get(BUS_CLOSE_PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      System.out.println("Threads when " + bus + " had not closed within " + BUS_CLOSE_PATIENCE);
      System.out.println(ThreadDump.ofThisJvm());
      throw new AssertionError(
          bus
              + " did not close within "
              + BUS_CLOSE_PATIENCE
              + " after the test; every thread's stack is in the test's output",
          e);
    }
  }
}

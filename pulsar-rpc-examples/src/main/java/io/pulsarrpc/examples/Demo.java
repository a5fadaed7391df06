package io.pulsarrpc.examples;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.client.RequestOptions;
import io.pulsarrpc.client.Response;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.examples.inventory.InventoryClient;
import io.pulsarrpc.examples.inventory.InventoryServer;
import io.pulsarrpc.examples.inventory.StockLevel;
import io.pulsarrpc.examples.inventory.StockQuery;
import io.pulsarrpc.protobuf.ServiceClientOptions;
import io.pulsarrpc.protobuf.ServiceNaming;
import io.pulsarrpc.protobuf.ServiceServerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The README's demo: the {@code Inventory} service of {@code src/main/proto/demo/inventory.proto},
 * served by two warehouses through the code our protoc plugin generates, over a bus chosen with
 * {@code --bus}: by default a real Pulsar broker (the one named by {@code PULSAR_SERVICE_URL}, or
 * else an embedded one started by the testkit). It shows a blocking call, asynchronous calls, a
 * multi method that gathers the answer of each warehouse, an error reply, and a call that times out
 * while the warehouse rolls its late work back.
 */
public final class Demo {

  private static final long WAIT_SECONDS = 30;

  /** Keeps the broker and the warehouses up for the command line instead of running the steps. */
  static final String SERVE = "--serve";

  private final PrintStream out;
  // A single call reaches one warehouse: the one that took the timed-out call rolls back.
  private final CountDownLatch rollBack = new CountDownLatch(1);

  Demo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the demo and exits with status 0 when every step behaved as described, 1 otherwise, 2 on a
   * usage error.
   *
   * @param args {@code --bus pulsar|redis|nats|memory} (default {@code pulsar}), or {@code --serve}
   *     to serve the service on an embedded broker for the command line until stopped
   */
  public static void main(String[] args) throws Exception {
    QuietOpenTelemetry.apply();
    PrintStream out = System.out;
    List<String> arguments = new ArrayList<>(List.of(args));
    boolean serve = arguments.remove(SERVE);
    String busName = DemoBus.nameFromArgumentsOrExit(arguments.toArray(new String[0]));
    if (serve && !busName.equals("pulsar")) {
      System.err.println(SERVE + " serves on the Pulsar bus only, not on " + busName);
      System.exit(2);
    }
    out.println("pulsar-rpc demo");
    boolean ok;
    try (DemoBus demoBus = DemoBus.open(busName, out)) {
      if (serve) {
        new Demo(out).serve(demoBus, ServiceNaming.defaults());
        return;
      }
      ok = new Demo(out).run(demoBus.bus(), ServiceNaming.defaults());
    }
    System.exit(ok ? 0 : 1);
  }

  /**
   * Runs every step over {@code bus}, with the service's topics named by {@code naming}; true when
   * each behaved as described.
   */
  boolean run(MessageBus bus, ServiceNaming naming) throws Exception {
    out.println();
    out.println(
        "Over the "
            + bus.name()
            + " bus, two warehouses serve the Inventory service of demo/inventory.proto;");
    out.println(
        "CheckStock calls go to "
            + naming.requestTopic(InventoryClient.SERVICE_NAME, "CheckStock")
            + ".");
    out.println("  eu has 12 widgets, us has 7; both take 2 s to look up 'gizmo'.");
    try (InventoryServer eu = warehouse(bus, naming, "eu", 12);
        InventoryServer us = warehouse(bus, naming, "us", 7);
        InventoryClient inventory =
            InventoryClient.create(
                bus,
                ServiceClientOptions.builder()
                    .naming(naming)
                    .replyTimeout(Duration.ofSeconds(WAIT_SECONDS))
                    .build())) {
      boolean ok = blockingCall(inventory);
      ok &= asynchronousCalls(inventory);
      ok &= multiCall(inventory);
      ok &= errorReply(inventory);
      ok &= timeoutWithRollBack(inventory);
      out.println();
      out.println(ok ? "Demo finished: every step behaved as described." : "Demo FAILED.");
      return ok;
    }
  }

  /**
   * Serves the Inventory service with the two warehouses until the process is stopped, and prints
   * the command line's commands that call it on this broker.
   */
  void serve(DemoBus demoBus, ServiceNaming naming) throws Exception {
    MessageBus bus = demoBus.bus();
    Path launcher = Path.of("..", "pulsar-rpc-cli", "target", "pulsar-rpc");
    Path descriptors =
        Path.of("target", "generated-resources", "protobuf", "descriptor-sets", "demo.desc");
    String cli =
        launcher.toAbsolutePath().normalize()
            + " --service-url "
            + demoBus.serviceUrl()
            + " %s --proto "
            + descriptors.toAbsolutePath().normalize()
            + " --method demo.Inventory/%s '{\"item\":\"widget\"}'";
    try (InventoryServer eu = warehouse(bus, naming, "eu", 12);
        InventoryServer us = warehouse(bus, naming, "us", 7)) {
      out.println();
      out.println("Two warehouses serve the Inventory service until Ctrl-C. In another terminal:");
      out.println("  " + String.format(cli, "call", "CheckStock"));
      out.println("  " + String.format(cli, "call-all", "CheckEveryWarehouse"));
      out.flush();
      new CountDownLatch(1).await();
    }
  }

  private boolean blockingCall(InventoryClient inventory) throws Exception {
    step("1. A blocking call: inventory.checkStock(widget).get()");
    StockLevel level = await(inventory.checkStock(query("widget")));
    out.println("   -> " + describe(level));
    out.println("   The warehouses share CheckStock's calls: one of them answers each.");
    return level.getCount() > 0;
  }

  private boolean asynchronousCalls(InventoryClient inventory) throws Exception {
    step("2. Three asynchronous calls in flight at once: inventory.checkStock(...) x 3");
    List<CompletableFuture<StockLevel>> calls =
        List.of(
            inventory.checkStock(query("widget")),
            inventory.checkStock(query("widget")),
            inventory.checkStock(query("widget")));
    await(CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])));
    for (CompletableFuture<StockLevel> call : calls) {
      out.println("   -> " + describe(call.get()));
    }
    return calls.stream().allMatch(call -> call.join().getCount() > 0);
  }

  private boolean multiCall(InventoryClient inventory) throws Exception {
    step("3. A multi method: inventory.checkEveryWarehouse(widget) gathers every answer");
    out.println("   CheckEveryWarehouse has routing ROUTING_MULTI in the .proto: each warehouse");
    out.println("   claims the call on receipt, so the client knows how many answers to wait for;");
    out.println("   withExpectedServers(2) says that two warehouses serve it, so that this first");
    out.println("   multi-call of the client waits for both even when one is slow to claim.");
    List<Response<StockLevel>> responses =
        await(
            inventory.checkEveryWarehouse(
                query("widget"), RequestOptions.defaults().withExpectedServers(2)));
    List<StockLevel> answers =
        responses.stream()
            .filter(Response::isSuccess)
            .map(Response::value)
            .sorted(Comparator.comparing(StockLevel::getWarehouse))
            .toList();
    out.println(
        "   -> "
            + responses.size()
            + " warehouses claimed the call, "
            + answers.size()
            + " answered:");
    for (StockLevel answer : answers) {
      out.println("      " + describe(answer));
    }
    return answers.stream().map(StockLevel::getWarehouse).toList().equals(List.of("eu", "us"));
  }

  private boolean errorReply(InventoryClient inventory) throws Exception {
    step("4. An item the warehouses do not know: the implementation fails with NOT_FOUND");
    try {
      await(inventory.checkStock(query("sprocket")));
      out.println("   -> unexpectedly answered");
      return false;
    } catch (PulsarRpcClientException.ReplyErrorException e) {
      out.println("   -> " + e.code().wireName() + ": \"" + e.errorMessage() + "\"");
      return e.code() == ErrorCode.NOT_FOUND && e.errorMessage().contains("sprocket");
    }
  }

  private boolean timeoutWithRollBack(InventoryClient inventory) throws Exception {
    step("5. A call with a 1 s timeout to work that takes 2 s: the caller times out");
    out.println(
        "   and the server, finding the deadline passed, calls checkStockRollback, not a reply");
    try {
      await(
          inventory.checkStock(
              query("gizmo"),
              RequestOptions.defaults()
                  .withCorrelationId("call-5")
                  .withTimeout(Duration.ofSeconds(1))));
      out.println("   -> unexpectedly answered");
      return false;
    } catch (PulsarRpcClientException.TimeoutException e) {
      out.println("   -> " + e.getMessage());
    }
    boolean rolledBack = rollBack.await(WAIT_SECONDS, TimeUnit.SECONDS);
    if (!rolledBack) {
      out.println("   -> no warehouse rolled back");
    }
    return rolledBack;
  }

  private InventoryServer warehouse(MessageBus bus, ServiceNaming naming, String name, int widgets)
      throws Exception {
    // A stable server id: the subscription of the multi method is the warehouse's own.
    return InventoryServer.create(
        new Warehouse(name, widgets, out, rollBack),
        bus,
        ServiceServerOptions.builder().naming(naming).serverId(name).build());
  }

  private static StockQuery query(String item) {
    return StockQuery.newBuilder().setItem(item).build();
  }

  private static String describe(StockLevel level) {
    return level.getWarehouse() + ": " + level.getCount() + " " + level.getItem() + "s in stock";
  }

  /** The future's value; its failure's cause as thrown, when it is a client exception. */
  private static <T> T await(CompletableFuture<T> call) throws Exception {
    try {
      return call.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PulsarRpcClientException failure) {
        throw failure;
      }
      throw e;
    }
  }

  private void step(String title) {
    out.println();
    out.println(title);
  }
}

package io.pulsarrpc.examples;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.examples.inventory.InventoryServerImpl;
import io.pulsarrpc.examples.inventory.StockLevel;
import io.pulsarrpc.examples.inventory.StockQuery;
import io.pulsarrpc.server.RequestContext;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo's implementation of the generated {@link InventoryServerImpl}: a warehouse that knows
 * its stock of widgets and gizmos, and takes {@link #SLOW_WORK} to look up a gizmo. When that work
 * finishes after the caller's deadline, the server sends no reply and calls the generated rollback
 * hook, {@link #checkStockRollback}, where the warehouse undoes it.
 */
final class Warehouse implements InventoryServerImpl {

  static final Duration SLOW_WORK = Duration.ofSeconds(2);

  private final String name;
  private final Map<String, Integer> stock;
  private final PrintStream out;
  private final CountDownLatch rollBacks;

  Warehouse(String name, int widgets, PrintStream out, CountDownLatch rollBacks) {
    this.name = name;
    this.stock = Map.of("widget", widgets, "gizmo", 3);
    this.out = out;
    this.rollBacks = rollBacks;
  }

  @Override
  public CompletableFuture<StockLevel> checkStock(StockQuery query, RequestContext context) {
    String item = query.getItem();
    Integer count = stock.get(item);
    if (count == null) {
      return CompletableFuture.failedFuture(
          new RpcException(ErrorCode.NOT_FOUND, name + " has never heard of a " + item));
    }
    StockLevel level =
        StockLevel.newBuilder().setWarehouse(name).setItem(item).setCount(count).build();
    if (!item.equals("gizmo")) {
      return CompletableFuture.completedFuture(level);
    }
    return CompletableFuture.supplyAsync(
        () -> level,
        CompletableFuture.delayedExecutor(SLOW_WORK.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Override
  public void checkStockRollback(String correlationId, StockQuery query) {
    out.println(
        "   ["
            + name
            + "] rolled back its work on "
            + correlationId
            + " ("
            + query.getItem()
            + "): the caller had given up");
    rollBacks.countDown();
  }

  @Override
  public CompletableFuture<StockLevel> checkEveryWarehouse(
      StockQuery query, RequestContext context) {
    return checkStock(query, context);
  }

  @Override
  public void checkEveryWarehouseRollback(String correlationId, StockQuery query) {
    checkStockRollback(correlationId, query);
  }
}

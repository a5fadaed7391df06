package com.example.shop.v1;

/** {@link OrdersClient} on one core client per method. Generated; do not edit. */
final class OrdersClientStub implements OrdersClient {

  private final io.pulsarrpc.protobuf.ServiceClientCore core;
  private final io.pulsarrpc.client.PulsarRpcClient<
          com.example.shop.v1.OrdersProtos.OrderQuery, com.example.shop.v1.OrdersProtos.Order>
      getOrderMethod;
  private final io.pulsarrpc.client.PulsarRpcClient<
          com.example.shop.v1.OrdersProtos.Order.Line, com.example.shop.common.Common.Money>
      priceLineMethod;
  private final io.pulsarrpc.client.PulsarRpcClient<
          com.example.shop.v1.OrdersProtos.OrderQuery, com.example.shop.v1.OrdersProtos.Order>
      defaultMethod;
  private final io.pulsarrpc.client.PulsarRpcStreamClient<
          com.example.shop.v1.OrdersProtos.OrderQuery, com.example.shop.v1.OrdersProtos.Order>
      watchMethod;
  private final io.pulsarrpc.client.PulsarRpcSubscriber<com.example.shop.v1.OrdersProtos.Order>
      changesMethod;

  OrdersClientStub(io.pulsarrpc.protobuf.ServiceClientCore core)
      throws io.pulsarrpc.common.PulsarRpcClientException {
    this.core = core;
    this.getOrderMethod =
        core.client(
            "GetOrder",
            com.example.shop.v1.OrdersProtos.OrderQuery.class,
            com.example.shop.v1.OrdersProtos.Order.class);
    this.priceLineMethod =
        core.client(
            "PriceLine",
            com.example.shop.v1.OrdersProtos.Order.Line.class,
            com.example.shop.common.Common.Money.class);
    this.defaultMethod =
        core.client(
            "Default",
            com.example.shop.v1.OrdersProtos.OrderQuery.class,
            com.example.shop.v1.OrdersProtos.Order.class);
    this.watchMethod =
        core.streamClient(
            "Watch",
            com.example.shop.v1.OrdersProtos.OrderQuery.class,
            com.example.shop.v1.OrdersProtos.Order.class);
    this.changesMethod = core.subscriber("Changes", com.example.shop.v1.OrdersProtos.Order.class);
  }

  @Override
  public java.util.concurrent.CompletableFuture<com.example.shop.v1.OrdersProtos.Order> getOrder(
      com.example.shop.v1.OrdersProtos.OrderQuery request,
      io.pulsarrpc.client.RequestOptions options) {
    return getOrderMethod.requestAsync(request, options);
  }

  @Override
  public java.util.concurrent.CompletableFuture<com.example.shop.common.Common.Money> priceLine(
      java.lang.String warehouseRegion,
      com.example.shop.v1.OrdersProtos.Order.Line request,
      io.pulsarrpc.client.RequestOptions options) {
    return priceLineMethod.requestAsync(
        request,
        options.withTopic(
            io.pulsarrpc.protobuf.ServiceNaming.callTopic(
                java.util.List.of("warehouse_region"), warehouseRegion)));
  }

  @Override
  public java.util.concurrent.CompletableFuture<com.example.shop.v1.OrdersProtos.Order> default_(
      com.example.shop.v1.OrdersProtos.OrderQuery request,
      io.pulsarrpc.client.RequestOptions options) {
    return defaultMethod.requestAsync(request, options);
  }

  @Override
  public java.util.concurrent.CompletableFuture<
          io.pulsarrpc.stream.RpcStream<
              com.example.shop.v1.OrdersProtos.OrderQuery, com.example.shop.v1.OrdersProtos.Order>>
      watch(io.pulsarrpc.stream.StreamOptions options) {
    return watchMethod.openAsync(options);
  }

  @Override
  public java.util.concurrent.CompletableFuture<io.pulsarrpc.client.Subscription> subscribeChanges(
      java.lang.String topic,
      io.pulsarrpc.client.UpdateListener<com.example.shop.v1.OrdersProtos.Order> listener,
      io.pulsarrpc.client.SubscribeOptions options) {
    return changesMethod.subscribeAsync(
        listener,
        options.withTopic(
            io.pulsarrpc.protobuf.ServiceNaming.callTopic(java.util.List.of("topic"), topic)));
  }

  @Override
  public java.util.List<io.pulsarrpc.inspect.ClientInspection> inspect() {
    return core.inspect();
  }

  @Override
  public java.util.concurrent.CompletableFuture<java.lang.Void> closeAsync() {
    return core.closeAsync();
  }

  @Override
  public void close() {
    core.close();
  }
}

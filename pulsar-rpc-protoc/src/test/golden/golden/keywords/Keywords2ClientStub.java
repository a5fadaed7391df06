package golden.keywords;

/** {@link Keywords2Client} on one core client per method. Generated; do not edit. */
final class Keywords2ClientStub implements Keywords2Client {

  private final io.pulsarrpc.protobuf.ServiceClientCore core;
  private final io.pulsarrpc.client.PulsarRpcClient<
          golden.keywords.KeywordsOuterClass.Keywords, golden.keywords.KeywordsOuterClass.Keywords>
      switchMethod;
  private final io.pulsarrpc.client.PulsarRpcClient<
          golden.keywords.KeywordsOuterClass.Keywords, golden.keywords.KeywordsOuterClass.Keywords>
      caseMethod;
  private final io.pulsarrpc.client.PulsarRpcSubscriber<golden.keywords.KeywordsOuterClass.Keywords>
      queueMethod;

  Keywords2ClientStub(io.pulsarrpc.protobuf.ServiceClientCore core)
      throws io.pulsarrpc.common.PulsarRpcClientException {
    this.core = core;
    this.switchMethod =
        core.client(
            "Switch",
            golden.keywords.KeywordsOuterClass.Keywords.class,
            golden.keywords.KeywordsOuterClass.Keywords.class);
    this.caseMethod =
        core.client(
            "Case",
            golden.keywords.KeywordsOuterClass.Keywords.class,
            golden.keywords.KeywordsOuterClass.Keywords.class);
    this.queueMethod = core.subscriber("Queue", golden.keywords.KeywordsOuterClass.Keywords.class);
  }

  @Override
  public java.util.concurrent.CompletableFuture<
          java.util.List<io.pulsarrpc.client.Response<golden.keywords.KeywordsOuterClass.Keywords>>>
      switch_(
          golden.keywords.KeywordsOuterClass.Keywords request,
          io.pulsarrpc.client.RequestOptions options) {
    return switchMethod.requestAllAsync(request, options);
  }

  @Override
  public java.util.concurrent.CompletableFuture<
          java.util.List<io.pulsarrpc.client.Response<golden.keywords.KeywordsOuterClass.Keywords>>>
      switch_(
          golden.keywords.KeywordsOuterClass.Keywords request,
          io.pulsarrpc.client.RequestOptions options,
          java.util.function.Consumer<
                  ? super io.pulsarrpc.client.Response<golden.keywords.KeywordsOuterClass.Keywords>>
              onResponse) {
    return switchMethod.requestAllAsync(request, options, onResponse);
  }

  @Override
  public java.util.concurrent.CompletableFuture<golden.keywords.KeywordsOuterClass.Keywords> case_(
      golden.keywords.KeywordsOuterClass.Keywords request,
      io.pulsarrpc.client.RequestOptions options) {
    return caseMethod.requestAsync(request, core.affinity(options));
  }

  @Override
  public java.util.concurrent.CompletableFuture<io.pulsarrpc.client.Subscription> subscribeQueue(
      io.pulsarrpc.client.UpdateListener<golden.keywords.KeywordsOuterClass.Keywords> listener,
      io.pulsarrpc.client.SubscribeOptions options) {
    return queueMethod.subscribeAsync(
        listener, io.pulsarrpc.protobuf.ServiceClientCore.queue(options));
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

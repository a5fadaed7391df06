package com.example.greeter;

import com.example.greeter.v1.GreeterServerImpl;
import com.example.greeter.v1.HelloReply;
import com.example.greeter.v1.HelloRequest;
import io.pulsarrpc.server.RequestContext;
import java.util.concurrent.CompletableFuture;

/** What a Greeter server does: the methods of the service, each answering with a future. */
public final class GreeterService implements GreeterServerImpl {

  private final String serverId;

  public GreeterService(String serverId) {
    this.serverId = serverId;
  }

  @Override
  public CompletableFuture<HelloReply> sayHello(HelloRequest request, RequestContext context) {
    return CompletableFuture.completedFuture(reply("Hello, " + request.getName() + "!"));
  }

  @Override
  public CompletableFuture<HelloReply> rollCall(HelloRequest request, RequestContext context) {
    return CompletableFuture.completedFuture(reply("Here, " + request.getName() + "."));
  }

  private HelloReply reply(String message) {
    return HelloReply.newBuilder().setMessage(message).setServer(serverId).build();
  }
}

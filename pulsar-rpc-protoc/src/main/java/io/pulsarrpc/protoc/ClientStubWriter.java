package io.pulsarrpc.protoc;

import static io.pulsarrpc.protoc.Types.*;

/**
 * Writes {@code FooClientStub}: the package-private implementation of {@code FooClient}, one core
 * client (or subscriber, or stream client) per method.
 */
final class ClientStubWriter {

  private ClientStubWriter() {}

  static String write(ServiceModel service) {
    StringBuilder out = new StringBuilder(service.packageLine());
    out.append("/** {@link ")
        .append(service.clientName())
        .append("} on one core client per method. Generated; do not edit. */\n");
    out.append("final class ").append(service.clientStubName()).append(" implements ");
    out.append(service.clientName()).append(" {\n\n");
    out.append("  private final ").append(CLIENT_CORE).append(" core;\n");
    for (ServiceMethod method : service.methods()) {
      out.append("  private final ")
          .append(partType(method))
          .append(' ')
          .append(method.fieldName());
      out.append(";\n");
    }
    out.append("\n  ").append(service.clientStubName()).append('(').append(CLIENT_CORE);
    out.append(" core) throws ").append(CLIENT_EXCEPTION).append(" {\n    this.core = core;\n");
    for (ServiceMethod method : service.methods()) {
      out.append("    this.")
          .append(method.fieldName())
          .append(" = core.")
          .append(partFactory(method));
      out.append("(\"").append(method.rpcName()).append("\", ");
      if (!method.kind().isSubscription()) {
        // A subscription method's updates are of its reply type; it has no request.
        out.append(method.requestClass()).append(".class, ");
      }
      out.append(method.replyClass()).append(".class);\n");
    }
    out.append("  }\n");
    for (ServiceMethod method : service.methods()) {
      call(out, method);
    }
    out.append("\n  @Override\n  public ").append(LIST).append('<').append(CLIENT_INSPECTION);
    out.append("> inspect() {\n    return core.inspect();\n  }\n");
    out.append("\n  @Override\n  public ").append(future("java.lang.Void"));
    out.append(" closeAsync() {\n    return core.closeAsync();\n  }\n");
    out.append("\n  @Override\n  public void close() {\n    core.close();\n  }\n}\n");
    return out.toString();
  }

  private static String partType(ServiceMethod method) {
    return switch (method.kind()) {
      case SINGLE, MULTI, AFFINITY ->
          RPC_CLIENT + "<" + method.requestClass() + ", " + method.replyClass() + ">";
      case BROADCAST, QUEUE -> SUBSCRIBER + "<" + method.replyClass() + ">";
      case STREAM -> STREAM_CLIENT + "<" + method.requestClass() + ", " + method.replyClass() + ">";
    };
  }

  private static String partFactory(ServiceMethod method) {
    return switch (method.kind()) {
      case SINGLE, MULTI, AFFINITY -> "client";
      case BROADCAST, QUEUE -> "subscriber";
      case STREAM -> "streamClient";
    };
  }

  private static void call(StringBuilder out, ServiceMethod method) {
    String field = method.fieldName();
    out.append("\n  @Override\n  public ");
    switch (method.kind()) {
      case SINGLE, AFFINITY -> {
        out.append(future(method.replyClass())).append(' ').append(method.javaName()).append('(');
        out.append(topicParameters(method)).append(method.requestClass()).append(" request, ");
        out.append(REQUEST_OPTIONS).append(" options) {\n    return ").append(field);
        out.append(".requestAsync(request, ").append(requestOptions(method)).append(");\n  }\n");
      }
      case MULTI -> {
        String responses = LIST + "<" + RESPONSE + "<" + method.replyClass() + ">>";
        out.append(future(responses)).append(' ').append(method.javaName()).append('(');
        out.append(topicParameters(method)).append(method.requestClass()).append(" request, ");
        out.append(REQUEST_OPTIONS).append(" options) {\n    return ").append(field);
        out.append(".requestAllAsync(request, ").append(requestOptions(method)).append(");\n  }\n");
        out.append("\n  @Override\n  public ").append(future(responses)).append(' ');
        out.append(method.javaName()).append('(').append(topicParameters(method));
        out.append(method.requestClass()).append(" request, ").append(REQUEST_OPTIONS);
        out.append(" options, ").append(CONSUMER).append("<? super ").append(RESPONSE);
        out.append('<').append(method.replyClass()).append(">> onResponse) {\n    return ");
        out.append(field).append(".requestAllAsync(request, ").append(requestOptions(method));
        out.append(", onResponse);\n  }\n");
      }
      case BROADCAST, QUEUE -> {
        out.append(future(SUBSCRIPTION)).append(" subscribe").append(method.capitalized());
        out.append('(').append(topicParameters(method)).append(UPDATE_LISTENER).append('<');
        out.append(method.replyClass()).append("> listener, ").append(SUBSCRIBE_OPTIONS);
        out.append(" options) {\n    return ").append(field).append(".subscribeAsync(listener, ");
        String options =
            method.hasTopics() ? "options.withTopic(" + callTopic(method) + ")" : "options";
        out.append(
            method.kind() == MethodKind.QUEUE ? CLIENT_CORE + ".queue(" + options + ")" : options);
        out.append(");\n  }\n");
      }
      case STREAM -> {
        out.append(
            future(RPC_STREAM + "<" + method.requestClass() + ", " + method.replyClass() + ">"));
        out.append(' ').append(method.javaName()).append('(').append(topicParameters(method));
        out.append(STREAM_OPTIONS).append(" options) {\n    return ").append(field);
        out.append(".openAsync(");
        out.append(method.hasTopics() ? "options.withTopic(" + callTopic(method) + ")" : "options");
        out.append(");\n  }\n");
      }
    }
  }

  private static String requestOptions(ServiceMethod method) {
    String options =
        method.hasTopics() ? "options.withTopic(" + callTopic(method) + ")" : "options";
    return method.kind() == MethodKind.AFFINITY ? "core.affinity(" + options + ")" : options;
  }
}

package io.pulsarrpc.protoc;

/**
 * The types generated code names, fully qualified so that a message named like one of them (a
 * {@code Response}, a {@code Subscription}) never clashes with an import.
 */
final class Types {

  static final String FUTURE = "java.util.concurrent.CompletableFuture";
  static final String LIST = "java.util.List";
  static final String CONSUMER = "java.util.function.Consumer";
  static final String STRING = "java.lang.String";
  static final String PULSAR_CLIENT = "org.apache.pulsar.client.api.PulsarClient";
  static final String MESSAGE_BUS = "io.pulsarrpc.bus.MessageBus";
  static final String RPC_CLIENT = "io.pulsarrpc.client.PulsarRpcClient";
  static final String SUBSCRIBER = "io.pulsarrpc.client.PulsarRpcSubscriber";
  static final String STREAM_CLIENT = "io.pulsarrpc.client.PulsarRpcStreamClient";
  static final String REQUEST_OPTIONS = "io.pulsarrpc.client.RequestOptions";
  static final String SUBSCRIBE_OPTIONS = "io.pulsarrpc.client.SubscribeOptions";
  static final String SUBSCRIPTION = "io.pulsarrpc.client.Subscription";
  static final String UPDATE_LISTENER = "io.pulsarrpc.client.UpdateListener";
  static final String RESPONSE = "io.pulsarrpc.client.Response";
  static final String CLIENT_EXCEPTION = "io.pulsarrpc.common.PulsarRpcClientException";
  static final String SERVER_EXCEPTION = "io.pulsarrpc.common.PulsarRpcServerException";
  static final String RPC_EXCEPTION = "io.pulsarrpc.common.RpcException";
  static final String ERROR_CODE = "io.pulsarrpc.common.ErrorCode";
  static final String RPC_STREAM = "io.pulsarrpc.stream.RpcStream";
  static final String STREAM_OPTIONS = "io.pulsarrpc.stream.StreamOptions";
  static final String RPC_SERVER = "io.pulsarrpc.server.PulsarRpcServer";
  static final String STREAM_SERVER = "io.pulsarrpc.server.PulsarRpcStreamServer";
  static final String PUBLISHER = "io.pulsarrpc.server.PulsarRpcPublisher";
  static final String REQUEST_CONTEXT = "io.pulsarrpc.server.RequestContext";
  static final String NAMING = "io.pulsarrpc.protobuf.ServiceNaming";
  static final String CLIENT_OPTIONS = "io.pulsarrpc.protobuf.ServiceClientOptions";
  static final String SERVER_OPTIONS = "io.pulsarrpc.protobuf.ServiceServerOptions";
  static final String CLIENT_CORE = "io.pulsarrpc.protobuf.ServiceClientCore";
  static final String SERVER_CORE = "io.pulsarrpc.protobuf.ServiceServerCore";
  static final String GENERATED_SERVICE = "io.pulsarrpc.protobuf.GeneratedService";
  static final String CLIENT_INSPECTION = "io.pulsarrpc.inspect.ClientInspection";
  static final String SERVER_INSPECTION = "io.pulsarrpc.inspect.ServerInspection";

  private Types() {}

  static String future(String type) {
    return FUTURE + "<" + type + ">";
  }

  /** The {@code String} parameters of a topic method, with a trailing comma; or nothing. */
  static String topicParameters(ServiceMethod method) {
    StringBuilder parameters = new StringBuilder();
    for (String parameter : method.topicParameters()) {
      parameters.append(STRING).append(' ').append(parameter).append(", ");
    }
    return parameters.toString();
  }

  /** The topic parameters as arguments, with a trailing comma; or nothing. */
  static String topicArguments(ServiceMethod method) {
    StringBuilder arguments = new StringBuilder();
    for (String parameter : method.topicParameters()) {
      arguments.append(parameter).append(", ");
    }
    return arguments.toString();
  }

  /** The expression of the call topic of a topic method's parameters. */
  static String callTopic(ServiceMethod method) {
    StringBuilder names = new StringBuilder();
    for (String name : method.topicNames()) {
      names.append(names.length() == 0 ? "" : ", ").append('"').append(name).append('"');
    }
    return NAMING
        + ".callTopic("
        + LIST
        + ".of("
        + names
        + "), "
        + String.join(", ", method.topicParameters())
        + ")";
  }

  /** The {@code @param} tags of a topic method's parameters, one per line; or nothing. */
  static String topicParamTags(ServiceMethod method) {
    StringBuilder tags = new StringBuilder();
    for (int i = 0; i < method.topicParameters().size(); i++) {
      tags.append("\n@param ")
          .append(method.topicParameters().get(i))
          .append(" the topic parameter {@code ")
          .append(method.topicNames().get(i))
          .append("}");
    }
    return tags.toString();
  }
}

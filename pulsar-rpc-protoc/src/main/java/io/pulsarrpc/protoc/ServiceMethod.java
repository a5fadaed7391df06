package io.pulsarrpc.protoc;

import java.util.List;

/**
 * One method of a service, as the generated code needs it.
 *
 * @param rpcName the name in the .proto, e.g. {@code GetOrder}; the topic name uses it
 * @param javaName the Java method name, e.g. {@code getOrder}
 * @param kind the call kind
 * @param topicParameters the Java names of the topic parameters; empty when not a topic method
 * @param topicNames the names of the topic parameters as the .proto gives them, for messages
 * @param requestClass the fully qualified class of the request (what a client sends)
 * @param replyClass the fully qualified class of the reply or update (what a server sends)
 * @param comment the leading comment in the .proto, possibly empty
 */
record ServiceMethod(
    String rpcName,
    String javaName,
    MethodKind kind,
    List<String> topicParameters,
    List<String> topicNames,
    String requestClass,
    String replyClass,
    String comment) {

  boolean hasTopics() {
    return !topicParameters.isEmpty();
  }

  /** Whether a server answers each call with a reply: single, multi, affinity and topic methods. */
  boolean isRequestReply() {
    return kind == MethodKind.SINGLE || kind == MethodKind.MULTI || kind == MethodKind.AFFINITY;
  }

  /** The server's affinity function of an affinity method, e.g. {@code getOrderAffinity}. */
  String affinityName() {
    return javaName + "Affinity";
  }

  /** The server's hook that undoes a call answered too late, e.g. {@code getOrderRollback}. */
  String rollbackName() {
    return javaName + "Rollback";
  }

  /** Every Java method name generated for this method: its own and those of its server hooks. */
  List<String> javaNames() {
    if (!isRequestReply()) {
      return List.of(javaName);
    }
    return kind == MethodKind.AFFINITY
        ? List.of(javaName, rollbackName(), affinityName())
        : List.of(javaName, rollbackName());
  }

  /** The field that holds the method's core client or server in generated classes. */
  String fieldName() {
    return javaName.replaceAll("_$", "") + "Method";
  }

  /** The RPC name with an upper-case first letter, for names such as {@code publishFoo}. */
  String capitalized() {
    return JavaNames.capitalized(rpcName);
  }
}

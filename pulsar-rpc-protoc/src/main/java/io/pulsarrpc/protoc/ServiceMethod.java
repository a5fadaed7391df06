package io.pulsarrpc.protoc;

import java.util.ArrayList;
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
    return bareName() + "Affinity";
  }

  /** The server's hook that undoes a call answered too late, e.g. {@code getOrderRollback}. */
  String rollbackName() {
    return bareName() + "Rollback";
  }

  /**
   * The Java members generated for this method, each as {@code Class.member} with the class's role
   * ({@code Client}, {@code ServerImpl}, {@code Server}): what must not be generated twice in one
   * class.
   */
  List<String> members() {
    List<String> members = new ArrayList<>();
    switch (kind) {
      case SINGLE, MULTI, AFFINITY -> {
        members.add("Client." + javaName);
        members.add("ServerImpl." + javaName);
        members.add("ServerImpl." + rollbackName());
        if (kind == MethodKind.AFFINITY) {
          members.add("ServerImpl." + affinityName());
        }
      }
      case STREAM -> {
        members.add("Client." + javaName);
        members.add("ServerImpl." + javaName);
      }
      case BROADCAST, QUEUE -> {
        members.add("Client.subscribe" + capitalized());
        members.add("Server.publish" + capitalized());
      }
    }
    if (hasTopics() && !kind.isSubscription()) {
      members.add("Server.register" + capitalized() + "Topic");
      members.add("Server.deregister" + capitalized() + "Topic");
    }
    return members;
  }

  /** The field that holds the method's core client or server in generated classes. */
  String fieldName() {
    return bareName() + "Method";
  }

  /**
   * The RPC name with a lower-case first letter, before a keyword is made safe: {@code default} for
   * {@code Default}, whose method is {@code default_}; names built on it ({@code defaultRollback})
   * need no escape.
   */
  private String bareName() {
    return Character.toLowerCase(rpcName.charAt(0)) + rpcName.substring(1);
  }

  /** The RPC name with an upper-case first letter, for names such as {@code publishFoo}. */
  String capitalized() {
    return JavaNames.capitalized(rpcName);
  }
}

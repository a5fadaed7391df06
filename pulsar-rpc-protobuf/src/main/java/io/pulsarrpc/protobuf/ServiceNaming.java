package io.pulsarrpc.protobuf;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one rule from a protobuf service and method to bus topics and subscriptions, so that
 * generated code and a hand-written client or server agree on the names.
 *
 * <table>
 *   <caption>Names of method {@code Echo} of service {@code shop.Orders} with the defaults</caption>
 *   <tr><th>what</th><th>rule</th><th>example</th></tr>
 *   <tr><td>{@link #requestTopic request topic} (also a stream's)</td>
 *       <td>{@code <domain>://<tenant>/<namespace>/<prefix><package.Service>.<Method>}</td>
 *       <td>{@code persistent://public/default/rpc.shop.Orders.Echo}</td></tr>
 *   <tr><td>{@link #updateTopic update topic} of a subscription method</td>
 *       <td>the same as the request topic</td>
 *       <td>{@code persistent://public/default/rpc.shop.Orders.Updates}</td></tr>
 *   <tr><td>{@link #serverSubscription server subscription} (servers share requests)</td>
 *       <td>{@code <prefix><package.Service>}</td><td>{@code rpc.shop.Orders}</td></tr>
 *   <tr><td>{@link #instanceSubscription subscription of one server} (multi methods: every
 *       server answers)</td><td>server subscription {@code + "." + serverId}</td>
 *       <td>{@code rpc.shop.Orders.host-1}</td></tr>
 *   <tr><td>{@link #replyTopic reply topic} of a client</td>
 *       <td>request topic {@code + ".reply." + clientId}</td>
 *       <td>{@code persistent://public/default/rpc.shop.Orders.Echo.reply.c-1}</td></tr>
 * </table>
 *
 * <p>The parameters of a topic method become the call's topic by {@link #callTopic}: one parameter
 * is the topic as it is; several are joined with {@code _}.
 *
 * <p>Immutable and thread-safe; {@link #defaults()}: domain {@code persistent}, tenant {@code
 * public}, namespace {@code default}, prefix {@code rpc.}.
 */
public final class ServiceNaming {

  /** The domain of durable topics: requests wait for a server. */
  public static final String PERSISTENT = "persistent";

  /** The domain of topics the broker does not store: faster, a request without server is lost. */
  public static final String NON_PERSISTENT = "non-persistent";

  /** The queue group of a queue subscription whose options name none. */
  public static final String DEFAULT_QUEUE_GROUP = "queue";

  private static final ServiceNaming DEFAULTS =
      new ServiceNaming(PERSISTENT, "public", "default", "rpc.");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]*");
  private static final Pattern SERVICE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Pattern METHOD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern ONE_PARAMETER = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern JOINED_PARAMETER = Pattern.compile("[A-Za-z0-9-]+");
  private static final int MAX_TOPIC = 64;

  private final String domain;
  private final String tenant;
  private final String namespace;
  private final String prefix;

  private ServiceNaming(String domain, String tenant, String namespace, String prefix) {
    this.domain = domain;
    this.tenant = tenant;
    this.namespace = namespace;
    this.prefix = prefix;
  }

  /**
   * Domain {@code persistent}, tenant {@code public}, namespace {@code default}, prefix {@code
   * rpc.}.
   */
  public static ServiceNaming defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with topics in this Pulsar tenant.
   *
   * @throws IllegalArgumentException unless letters, digits, {@code _}, {@code .} or {@code -}
   */
  public ServiceNaming withTenant(String tenant) {
    return new ServiceNaming(domain, checked(NAME, tenant, "tenant"), namespace, prefix);
  }

  /**
   * A copy with topics in this Pulsar namespace (of the tenant).
   *
   * @throws IllegalArgumentException unless letters, digits, {@code _}, {@code .} or {@code -}
   */
  public ServiceNaming withNamespace(String namespace) {
    return new ServiceNaming(domain, tenant, checked(NAME, namespace, "namespace"), prefix);
  }

  /**
   * A copy whose topic and subscription names start with {@code prefix}; empty for none.
   *
   * @throws IllegalArgumentException unless letters, digits, {@code _}, {@code .} or {@code -}
   */
  public ServiceNaming withPrefix(String prefix) {
    return new ServiceNaming(domain, tenant, namespace, checked(PREFIX, prefix, "prefix"));
  }

  /**
   * A copy with topics of this domain: {@link #PERSISTENT} or {@link #NON_PERSISTENT}.
   *
   * @throws IllegalArgumentException for any other value
   */
  public ServiceNaming withDomain(String domain) {
    if (!PERSISTENT.equals(domain) && !NON_PERSISTENT.equals(domain)) {
      throw new IllegalArgumentException(
          "domain must be '" + PERSISTENT + "' or '" + NON_PERSISTENT + "', got '" + domain + "'");
    }
    return new ServiceNaming(domain, tenant, namespace, prefix);
  }

  /** The topic domain. */
  public String domain() {
    return domain;
  }

  /** The tenant. */
  public String tenant() {
    return tenant;
  }

  /** The namespace. */
  public String namespace() {
    return namespace;
  }

  /** The prefix of topic and subscription names. */
  public String prefix() {
    return prefix;
  }

  /**
   * The topic that requests of {@code method} (and stream opens) go to.
   *
   * @param fullServiceName the protobuf full name, {@code package.Service}
   * @param method the method's name as in the .proto, e.g. {@code GetOrder}
   * @throws IllegalArgumentException when a name is not a protobuf name
   */
  public String requestTopic(String fullServiceName, String method) {
    return domain
        + "://"
        + tenant
        + "/"
        + namespace
        + "/"
        + prefix
        + checked(SERVICE, fullServiceName, "service name")
        + "."
        + checked(METHOD, method, "method name");
  }

  /**
   * The topic that the updates of subscription method {@code method} are published to: the same
   * name as {@link #requestTopic}, since a method is one or the other.
   *
   * @throws IllegalArgumentException when a name is not a protobuf name
   */
  public String updateTopic(String fullServiceName, String method) {
    return requestTopic(fullServiceName, method);
  }

  /**
   * The subscription that the servers of a service consume requests with, so they share them.
   *
   * @throws IllegalArgumentException when the name is not a protobuf name
   */
  public String serverSubscription(String fullServiceName) {
    return prefix + checked(SERVICE, fullServiceName, "service name");
  }

  /**
   * The subscription of one server instance, for methods that every server answers (multi). On a
   * durable bus a subscription outlives its server: give servers stable ids (a host name) so that a
   * restarted server takes its own subscription back.
   *
   * @throws IllegalArgumentException when a name is not acceptable
   */
  public String instanceSubscription(String fullServiceName, String serverId) {
    return serverSubscription(fullServiceName) + "." + checked(NAME, serverId, "serverId");
  }

  /**
   * The topic a client receives the replies of {@code method} on; its subscription is the client
   * id.
   *
   * @throws IllegalArgumentException when a name is not acceptable
   */
  public String replyTopic(String fullServiceName, String method, String clientId) {
    return requestTopic(fullServiceName, method) + ".reply." + checked(NAME, clientId, "clientId");
  }

  /**
   * The call topic of a topic method's parameters: the one parameter as it is (1 to 64 letters,
   * digits, {@code _} or {@code -}); several parameters, each of letters, digits or {@code -},
   * joined with {@code _} (at most 64 characters in all), so that two different lists never give
   * one topic.
   *
   * @param names the parameter names, for the error message
   * @param values the values, as many as names
   * @throws IllegalArgumentException naming the parameter that is not acceptable
   */
  public static String callTopic(List<String> names, String... values) {
    Objects.requireNonNull(names, "names");
    if (values == null || values.length != names.size() || values.length == 0) {
      throw new IllegalArgumentException(
          "expected "
              + names.size()
              + " topic parameters "
              + names
              + ", got "
              + (values == null ? 0 : values.length));
    }
    if (values.length == 1) {
      return checkedParameter(
          ONE_PARAMETER, names.get(0), values[0], "1 to 64 letters, digits, '_' or '-'");
    }
    StringBuilder topic = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        topic.append('_');
      }
      topic.append(
          checkedParameter(JOINED_PARAMETER, names.get(i), values[i], "letters, digits or '-'"));
    }
    if (topic.length() > MAX_TOPIC) {
      throw new IllegalArgumentException(
          "topic parameters "
              + names
              + " joined with '_' make more than "
              + MAX_TOPIC
              + " characters: "
              + topic);
    }
    return topic.toString();
  }

  private static String checkedParameter(Pattern rule, String name, String value, String expected) {
    if (value == null || !rule.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "topic parameter '" + name + "' must be " + expected + ", got '" + value + "'");
    }
    return value;
  }

  private static String checked(Pattern rule, String value, String what) {
    if (value == null || !rule.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " must be "
              + (rule == SERVICE || rule == METHOD
                  ? "a protobuf name"
                  : "letters, digits, '_', '.' or '-'")
              + ", got '"
              + value
              + "'");
    }
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServiceNaming that
        && domain.equals(that.domain)
        && tenant.equals(that.tenant)
        && namespace.equals(that.namespace)
        && prefix.equals(that.prefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, tenant, namespace, prefix);
  }

  @Override
  public String toString() {
    return "ServiceNaming{" + domain + "://" + tenant + "/" + namespace + "/" + prefix + "}";
  }
}

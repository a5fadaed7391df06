package io.pulsarrpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceNamingTest {

  private final ServiceNaming naming = ServiceNaming.defaults();

  @Test
  void requestTopicIsDomainTenantNamespacePrefixServiceAndMethod() {
    assertThat(naming.requestTopic("shop.Orders", "GetOrder"))
        .isEqualTo("persistent://public/default/rpc.shop.Orders.GetOrder");
  }

  @Test
  void everyPartOfTheTopicIsConfigurable() {
    ServiceNaming custom =
        naming
            .withDomain(ServiceNaming.NON_PERSISTENT)
            .withTenant("acme")
            .withNamespace("prod")
            .withPrefix("");

    assertThat(custom.requestTopic("Orders", "Get"))
        .isEqualTo("non-persistent://acme/prod/Orders.Get");
  }

  @Test
  void updateTopicOfASubscriptionMethodFollowsTheRequestTopicRule() {
    assertThat(naming.updateTopic("shop.Orders", "Changes"))
        .isEqualTo(naming.requestTopic("shop.Orders", "Changes"));
  }

  @Test
  void serversShareTheServiceSubscriptionAndMultiServersHaveOneEach() {
    assertThat(naming.serverSubscription("shop.Orders")).isEqualTo("rpc.shop.Orders");
    assertThat(naming.instanceSubscription("shop.Orders", "host-1"))
        .isEqualTo("rpc.shop.Orders.host-1");
  }

  @Test
  void replyTopicEndsWithTheClientId() {
    assertThat(naming.replyTopic("shop.Orders", "Get", "c-1"))
        .isEqualTo("persistent://public/default/rpc.shop.Orders.Get.reply.c-1");
  }

  @Test
  void oneTopicParameterIsTheCallTopicAsItIs() {
    assertThat(ServiceNaming.callTopic(List.of("region"), "eu_west-1")).isEqualTo("eu_west-1");
  }

  @Test
  void severalTopicParametersAreJoinedWithUnderscores() {
    assertThat(ServiceNaming.callTopic(List.of("region", "zone"), "eu", "a-1")).isEqualTo("eu_a-1");
  }

  @Test
  void anUnderscoreInOneOfSeveralParametersIsRefusedNamingTheParameter() {
    assertThatThrownBy(() -> ServiceNaming.callTopic(List.of("region", "zone"), "eu", "a_1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic parameter 'zone'")
        .hasMessageContaining("'a_1'");
  }

  @Test
  void anEmptyOrNullParameterIsRefused() {
    assertThatThrownBy(() -> ServiceNaming.callTopic(List.of("region"), ""))
        .hasMessageContaining("topic parameter 'region'");
    assertThatThrownBy(() -> ServiceNaming.callTopic(List.of("region"), (String) null))
        .hasMessageContaining("topic parameter 'region'");
  }

  @Test
  void joinedParametersLongerThanATopicAreRefused() {
    String long40 = "a".repeat(40);
    assertThatThrownBy(() -> ServiceNaming.callTopic(List.of("a", "b"), long40, long40))
        .hasMessageContaining("more than 64 characters");
  }

  @Test
  void namesThatAreNotTopicSafeAreRefused() {
    assertThatThrownBy(() -> naming.withTenant("a/b")).hasMessageContaining("tenant");
    assertThatThrownBy(() -> naming.withDomain("http")).hasMessageContaining("domain");
    assertThatThrownBy(() -> naming.requestTopic("shop/Orders", "Get"))
        .hasMessageContaining("service name");
    assertThatThrownBy(() -> naming.requestTopic("shop.Orders", "Get.It"))
        .hasMessageContaining("method name");
  }
}

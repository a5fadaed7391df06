package io.pulsarrpc.protoc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import org.junit.jupiter.api.Test;

/** A .proto whose options the generator cannot honour gets an error naming the place and fix. */
class OptionErrorsTest {

  @Test
  void queueRoutingOnAMethodThatIsNotASubscriptionIsRefused() {
    assertThat(errorOf("invalid/queue_without_subscription.proto"))
        .contains("method invalid.queue.Bad.Work")
        .contains("applies only to subscriptions; set (pulsarrpc.options).subscription");
  }

  @Test
  void streamWithARoutingIsRefused() {
    assertThat(errorOf("invalid/stream_with_routing.proto"))
        .contains("method invalid.stream.Bad.Chat")
        .contains("a stream is opened with one server");
  }

  @Test
  void serviceVersionWithMinimumAboveCurrentIsRefused() {
    assertThat(errorOf("invalid/bad_version.proto"))
        .contains("invalid.version.Bad")
        .contains("1 <= minimum <= current, got minimum 2 and current 1");
  }

  @Test
  void methodNamedAsAnotherMethodsRollbackHookIsRefused() {
    assertThat(errorOf("invalid/rollback_clash.proto"))
        .contains("method invalid.clash.Bad.ReserveRollback")
        .contains(
            "the Java method reserveRollback of BadServerImpl it needs is taken by method Reserve");
  }

  @Test
  void methodNamedAsAnotherMethodsSubscribeMethodIsRefused() {
    assertThat(errorOf("invalid/subscribe_clash.proto"))
        .contains("method invalid.subscribe.Bad.SubscribePrices")
        .contains(
            "the Java method subscribePrices of BadClient it needs is taken by method Prices");
  }

  @Test
  void methodNamedAsTheGeneratedInspectMethodIsRefused() {
    assertThat(errorOf("invalid/inspect_clash.proto"))
        .contains("method invalid.inspect.Bad.Inspect")
        .contains(
            "the Java method inspect of BadClient it needs is taken by the generated inspect()");
  }

  @Test
  void packageWithAJavaKeywordSegmentIsRefused() {
    CodeGeneratorRequest request = TestProtos.requestFor("golden/keywords/keywords.proto");
    CodeGeneratorRequest.Builder keywordPackage = request.toBuilder();
    for (int i = 0; i < request.getProtoFileCount(); i++) {
      if (request.getProtoFile(i).getName().equals("golden/keywords/keywords.proto")) {
        FileDescriptorProto.Builder file = request.getProtoFile(i).toBuilder();
        file.getOptionsBuilder().setJavaPackage("com.example.int.v1");
        keywordPackage.setProtoFile(i, file);
      }
    }

    assertThat(PulsarRpcProtocPlugin.generate(keywordPackage.build()).getError())
        .contains("Java package com.example.int.v1 has the Java keyword 'int'")
        .contains("set option java_package");
  }

  @Test
  void anErrorLeavesNoFilesInTheResponse() {
    CodeGeneratorResponse response =
        PulsarRpcProtocPlugin.generate(
            TestProtos.requestFor("golden/keywords/keywords.proto", "invalid/bad_version.proto"));

    assertThat(response.getError()).isNotEmpty();
    assertThat(response.getFileList()).isEmpty();
  }

  private static String errorOf(String proto) {
    return PulsarRpcProtocPlugin.generate(TestProtos.requestFor(proto)).getError();
  }
}

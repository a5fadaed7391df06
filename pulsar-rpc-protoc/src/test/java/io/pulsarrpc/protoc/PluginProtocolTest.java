package io.pulsarrpc.protoc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The plugin's side of protoc's protocol: a request's bytes in, a response's bytes out. */
class PluginProtocolTest {

  @Test
  void requestBytesInGiveTheFilesOfEachServiceOut() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    PulsarRpcProtocPlugin.run(
        new ByteArrayInputStream(
            TestProtos.requestFor("golden/keywords/keywords.proto").toByteArray()),
        out);

    CodeGeneratorResponse response = CodeGeneratorResponse.parseFrom(out.toByteArray());
    assertThat(response.getError()).isEmpty();
    assertThat(response.getFileList())
        .extracting(CodeGeneratorResponse.File::getName)
        .containsExactly(
            "golden/keywords/Keywords2Client.java",
            "golden/keywords/Keywords2ClientStub.java",
            "golden/keywords/Keywords2ServerImpl.java",
            "golden/keywords/Keywords2Server.java");
  }

  @Test
  void theResponseSaysProto3OptionalFieldsAreSupported() {
    CodeGeneratorResponse response =
        PulsarRpcProtocPlugin.generate(TestProtos.requestFor("golden/keywords/keywords.proto"));

    assertThat(response.getSupportedFeatures())
        .isEqualTo(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL.getNumber());
  }
}

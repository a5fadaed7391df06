package io.pulsarrpc.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import io.pulsarrpc.protobuf.RpcOptionsProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test .proto files as protoc compiled them in this module's build (one descriptor set, imports
 * and source info included), and the requests protoc would send the plugin for them.
 */
final class TestProtos {

  static final Path DESCRIPTOR_SET =
      Path.of(
          "target", "generated-test-resources", "protobuf", "descriptor-sets", "test-protos.desc");

  private TestProtos() {}

  static FileDescriptorSet all() {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    RpcOptionsProto.registerAllExtensions(registry);
    try (InputStream in = Files.newInputStream(DESCRIPTOR_SET)) {
      return FileDescriptorSet.parseFrom(in, registry);
    } catch (IOException e) {
      throw new UncheckedIOException("run the module's test-compile first: " + DESCRIPTOR_SET, e);
    }
  }

  /**
   * The request to generate {@code files}, with every file of the set (imports first, as protoc).
   */
  static CodeGeneratorRequest requestFor(String... files) {
    CodeGeneratorRequest.Builder request = CodeGeneratorRequest.newBuilder();
    for (FileDescriptorProto file : all().getFileList()) {
      request.addProtoFile(file);
    }
    for (String file : files) {
      request.addFileToGenerate(file);
    }
    return request.build();
  }
}

package io.pulsarrpc.protoc;

import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import io.pulsarrpc.protobuf.RpcOptionsProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The protoc plugin: reads a {@code CodeGeneratorRequest} from standard input and writes a {@code
 * CodeGeneratorResponse} to standard output, with, for each service {@code Foo} of the files to
 * generate, {@code FooClient}, {@code FooServerImpl} and {@code FooServer} (and the client's
 * package-private implementation) in the Java package of the file.
 *
 * <p>A .proto that asks for something the plugin cannot generate (for example a queue routing on a
 * method that is not a subscription) gets a response whose {@code error} names the method and the
 * fix; protoc prints it and fails. Run through Maven with the xolstice protobuf-maven-plugin's
 * {@code protocPlugins}; see docs/services.md.
 *
 * <p>The generated code is formatted with google-java-format, which needs the JDK compiler's
 * internals: when this JVM was started without access to them, the plugin runs itself once more in
 * a child JVM that has it.
 */
public final class PulsarRpcProtocPlugin {

  private PulsarRpcProtocPlugin() {}

  /**
   * Runs the plugin on standard input and output.
   *
   * @param args ignored
   * @throws IOException when standard input or output fails
   */
  public static void main(String[] args) throws IOException {
    byte[] request = System.in.readAllBytes();
    if (!JavaFormatting.isAvailable() && FormattingJvm.canStart()) {
      System.exit(FormattingJvm.run(request, System.out));
    }
    run(new ByteArrayInputStream(request), System.out);
    System.out.flush();
  }

  /** Answers the request read from {@code in} on {@code out}. */
  static void run(InputStream in, OutputStream out) throws IOException {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    RpcOptionsProto.registerAllExtensions(registry);
    CodeGeneratorRequest request = CodeGeneratorRequest.parseFrom(in, registry);
    generate(request).writeTo(out);
  }

  /** The response to {@code request}: the generated files, or the error that prevents them. */
  static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response =
        CodeGeneratorResponse.newBuilder()
            .setSupportedFeatures(
                CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL.getNumber());
    try {
      for (GeneratedFile file : ServiceFiles.of(request)) {
        response.addFile(
            CodeGeneratorResponse.File.newBuilder()
                .setName(file.path())
                .setContent(JavaFormatting.format(file.source())));
      }
    } catch (GenerationException e) {
      return response.clearFile().setError(e.getMessage()).build();
    } catch (RuntimeException e) {
      // protoc shows the error field to the user; a stack trace would only reach stderr.
      return response
          .clearFile()
          .setError("the pulsar-rpc plugin failed (please report it): " + e)
          .build();
    }
    return response.build();
  }
}

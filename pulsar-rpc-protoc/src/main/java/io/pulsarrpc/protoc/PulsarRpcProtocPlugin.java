package io.pulsarrpc.protoc;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;

/** The protoc plugin entry point (skeleton). */
public final class PulsarRpcProtocPlugin {
  private PulsarRpcProtocPlugin() {}

  /**
   * Reads a request from standard input and writes the response to standard output.
   *
   * @param args ignored
   * @throws IOException when standard input or output fails
   */
  public static void main(String[] args) throws IOException {
    CodeGeneratorRequest.parseFrom(System.in);
    CodeGeneratorResponse.newBuilder().build().writeTo(System.out);
  }
}

package io.pulsarrpc.protoc;

import java.util.List;

/**
 * One service of a .proto file, as the generated code needs it.
 *
 * @param fullName the protobuf full name, {@code package.Service}
 * @param name the simple name, which starts the generated class names
 * @param javaPackage the Java package of the generated classes; empty for the default package
 * @param protoFile the .proto file's name, for the generated javadoc
 * @param currentVersion the API version the service speaks; 0 when it declares none
 * @param minimumVersion the oldest client version servers answer; 0 when it declares none
 * @param comment the leading comment in the .proto, possibly empty
 * @param methods the methods, in .proto order
 */
record ServiceModel(
    String fullName,
    String name,
    String javaPackage,
    String protoFile,
    int currentVersion,
    int minimumVersion,
    String comment,
    List<ServiceMethod> methods) {

  String clientName() {
    return name + "Client";
  }

  String clientStubName() {
    return name + "ClientStub";
  }

  String serverImplName() {
    return name + "ServerImpl";
  }

  String serverName() {
    return name + "Server";
  }

  /** The path of a generated class's file. */
  String path(String simpleName) {
    return javaPackage.isEmpty()
        ? simpleName + ".java"
        : javaPackage.replace('.', '/') + "/" + simpleName + ".java";
  }

  /** The package declaration of a generated file, with the blank line after it; or nothing. */
  String packageLine() {
    return javaPackage.isEmpty() ? "" : "package " + javaPackage + ";\n\n";
  }
}

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

  /**
   * Members the generated classes of every service have, named as {@link ServiceMethod#members()}
   * names them, that no method's member may take: a method {@code Inspect} is refused, since its
   * {@code inspect} would clash with (or confusingly overload) the client's {@code inspect()}.
   */
  static final List<String> FIXED_MEMBERS = List.of("Client.inspect", "Server.inspect");

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

  /**
   * The {@code @GeneratedService} annotation of the generated client, server interface and server,
   * the same on all three, in the formatter's layout, with its line break.
   */
  String generatedServiceAnnotation() {
    return "@"
        + Types.GENERATED_SERVICE
        + "(\n    name = \""
        + fullName
        + "\",\n    client = "
        + clientName()
        + ".class,\n    serverImpl = "
        + serverImplName()
        + ".class,\n    server = "
        + serverName()
        + ".class)\n";
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

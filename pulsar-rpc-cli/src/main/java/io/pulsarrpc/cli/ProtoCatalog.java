package io.pulsarrpc.cli;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The services of a descriptor set ({@code protoc --include_imports --descriptor_set_out}), by
 * method name {@code package.Service/Method}. Immutable.
 */
final class ProtoCatalog {

  private final Map<String, MethodDescriptor> methods;

  private ProtoCatalog(Map<String, MethodDescriptor> methods) {
    this.methods = methods;
  }

  /**
   * Reads the descriptor set at {@code path}.
   *
   * @throws CliException a usage error when the file cannot be read or is not a complete descriptor
   *     set (a {@code .proto} source, a set built without {@code --include_imports})
   */
  static ProtoCatalog load(Path path) {
    if (path.getFileName().toString().endsWith(".proto")) {
      throw CliException.usage(
          "--proto takes a descriptor set, not a .proto file: compile it first with protoc"
              + " --include_imports --descriptor_set_out=service.desc "
              + path.getFileName()
              + " (see docs/cli.md)");
    }
    FileDescriptorSet set;
    try (InputStream in = Files.newInputStream(path)) {
      set = FileDescriptorSet.parseFrom(in);
    } catch (IOException e) {
      throw CliException.usage(
          "--proto: cannot read a descriptor set from " + path + ": " + Failures.rootMessage(e));
    }
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (FileDescriptorProto proto : set.getFileList()) {
      protos.put(proto.getName(), proto);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    Map<String, MethodDescriptor> methods = new TreeMap<>();
    for (FileDescriptorProto proto : set.getFileList()) {
      for (ServiceDescriptor service : build(proto.getName(), protos, built).getServices()) {
        for (MethodDescriptor method : service.getMethods()) {
          methods.put(service.getFullName() + "/" + method.getName(), method);
        }
      }
    }
    return new ProtoCatalog(methods);
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw CliException.usage(
          "--proto: the descriptor set lacks " + name + "; build it with protoc --include_imports");
    }
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      dependencies.add(build(dependency, protos, built));
    }
    try {
      FileDescriptor file =
          FileDescriptor.buildFrom(proto, dependencies.toArray(new FileDescriptor[0]));
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw CliException.usage("--proto: " + name + " is not valid: " + e.getMessage());
    }
  }

  /**
   * The method called {@code name}, {@code package.Service/Method} (a {@code .} before the method
   * is accepted too).
   *
   * @throws CliException a usage error naming the methods there are
   */
  MethodDescriptor method(String name) {
    String key = name.contains("/") ? name : slashBeforeMethod(name);
    MethodDescriptor method = methods.get(key);
    if (method == null) {
      throw CliException.usage(
          "unknown method '" + name + "'; the descriptor set has " + String.join(", ", names()));
    }
    return method;
  }

  private static String slashBeforeMethod(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot) + "/" + name.substring(dot + 1);
  }

  /** Every method's name, sorted. */
  List<String> names() {
    return List.copyOf(methods.keySet());
  }
}

package io.pulsarrpc.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import io.pulsarrpc.protobuf.Options;
import io.pulsarrpc.protobuf.Routing;
import io.pulsarrpc.protobuf.RpcOptionsProto;
import io.pulsarrpc.protobuf.ServiceVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the services of the files protoc asks for, checks their options, and writes the files of
 * each service.
 */
final class ServiceFiles {

  /** Names a generated method already uses for its own parameters. */
  private static final Set<String> RESERVED_PARAMETERS =
      Set.of("request", "options", "onResponse", "listener", "update", "context", "stream");

  private ServiceFiles() {}

  /**
   * The files of every service of the files to generate.
   *
   * @throws GenerationException when a service's options contradict each other
   */
  static List<GeneratedFile> of(CodeGeneratorRequest request) {
    Map<String, FileDescriptor> files = new HashMap<>();
    for (FileDescriptorProto proto : request.getProtoFileList()) {
      files.put(proto.getName(), build(proto, files));
    }
    List<GeneratedFile> generated = new ArrayList<>();
    for (String name : request.getFileToGenerateList()) {
      FileDescriptor file = files.get(name);
      if (file == null) {
        throw new GenerationException(name + ": protoc did not pass this file's descriptor");
      }
      SourceCodeInfo comments = file.toProto().getSourceCodeInfo();
      for (ServiceDescriptor service : file.getServices()) {
        ServiceModel model = model(service, comments);
        generated.add(new GeneratedFile(model.path(model.clientName()), ClientWriter.write(model)));
        generated.add(
            new GeneratedFile(model.path(model.clientStubName()), ClientStubWriter.write(model)));
        generated.add(
            new GeneratedFile(model.path(model.serverImplName()), ServerImplWriter.write(model)));
        generated.add(new GeneratedFile(model.path(model.serverName()), ServerWriter.write(model)));
      }
    }
    return generated;
  }

  private static FileDescriptor build(
      FileDescriptorProto proto, Map<String, FileDescriptor> files) {
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      FileDescriptor built = files.get(dependency);
      if (built == null) {
        throw new GenerationException(
            proto.getName() + ": protoc did not pass the descriptor of import " + dependency);
      }
      dependencies.add(built);
    }
    try {
      return FileDescriptor.buildFrom(proto, dependencies.toArray(new FileDescriptor[0]));
    } catch (DescriptorValidationException e) {
      throw new GenerationException(proto.getName() + ": " + e.getMessage());
    }
  }

  private static ServiceModel model(ServiceDescriptor service, SourceCodeInfo comments) {
    int serviceIndex = service.getIndex();
    List<ServiceMethod> methods = new ArrayList<>();
    // A generated member (Class.name) -> the RPC it was generated for: hooks such as fooRollback
    // and server methods such as publishFoo count too, so that a method FooRollback next to Foo is
    // refused here rather than by javac (or an ambiguous call) in the user's build; so do the
    // members every service has, such as inspect().
    Map<String, String> members = new HashMap<>();
    for (String fixed : ServiceModel.FIXED_MEMBERS) {
      members.put(fixed, "the generated " + fixed.substring(fixed.indexOf('.') + 1) + "()");
    }
    for (MethodDescriptor method : service.getMethods()) {
      ServiceMethod model =
          method(method, Comments.leading(comments, 6, serviceIndex, 2, method.getIndex()));
      for (String member : model.members()) {
        String other = members.putIfAbsent(member, "method " + method.getName());
        if (other != null) {
          int dot = member.indexOf('.');
          throw new GenerationException(
              where(method)
                  + ": the Java method "
                  + member.substring(dot + 1)
                  + " of "
                  + service.getName()
                  + member.substring(0, dot)
                  + " it needs is taken by "
                  + other
                  + "; rename one of them");
        }
      }
      methods.add(model);
    }
    int current = 0;
    int minimum = 0;
    if (service.getOptions().hasExtension(RpcOptionsProto.version)) {
      ServiceVersion version = service.getOptions().getExtension(RpcOptionsProto.version);
      current = version.getCurrent();
      minimum = version.getMinimum() == 0 ? current : version.getMinimum();
      if (current < 1 || minimum < 1 || minimum > current) {
        throw new GenerationException(
            service.getFullName()
                + ": (pulsarrpc.version) needs 1 <= minimum <= current, got minimum "
                + version.getMinimum()
                + " and current "
                + version.getCurrent());
      }
    }
    return new ServiceModel(
        service.getFullName(),
        service.getName(),
        JavaNames.javaPackage(service.getFile()),
        service.getFile().getName(),
        current,
        minimum,
        Comments.leading(comments, 6, serviceIndex),
        List.copyOf(methods));
  }

  private static ServiceMethod method(MethodDescriptor method, String comment) {
    Options options = method.getOptions().getExtension(RpcOptionsProto.options);
    MethodKind kind = kind(method, options);
    List<String> topicNames = List.of();
    if (options.getTopics()) {
      topicNames =
          options.getTopicParams().getNamesCount() == 0
              ? List.of("topic")
              : List.copyOf(options.getTopicParams().getNamesList());
    } else if (options.hasTopicParams()) {
      throw new GenerationException(
          where(method) + ": topic_params is set without topics: set (pulsarrpc.options).topics");
    }
    List<String> topicParameters = new ArrayList<>();
    for (String name : topicNames) {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new GenerationException(
            where(method) + ": topic parameter name '" + name + "' is not an identifier");
      }
      String parameter = JavaNames.identifier(JavaNames.camelCase(name, false));
      if (RESERVED_PARAMETERS.contains(parameter) || topicParameters.contains(parameter)) {
        throw new GenerationException(
            where(method)
                + ": topic parameter name '"
                + name
                + "' clashes with another parameter; rename it");
      }
      topicParameters.add(parameter);
    }
    return new ServiceMethod(
        method.getName(),
        JavaNames.methodName(method.getName()),
        kind,
        List.copyOf(topicParameters),
        topicNames,
        JavaNames.messageClass(method.getInputType()),
        JavaNames.messageClass(method.getOutputType()),
        comment);
  }

  private static MethodKind kind(MethodDescriptor method, Options options) {
    boolean streaming =
        options.getStream() || method.isClientStreaming() || method.isServerStreaming();
    Routing routing = options.getRouting();
    if (routing == Routing.UNRECOGNIZED) {
      throw new GenerationException(where(method) + ": unknown routing");
    }
    if (streaming) {
      if (options.getSubscription() || routing != Routing.ROUTING_SINGLE) {
        throw new GenerationException(
            where(method)
                + ": a stream is opened with one server; drop subscription and routing "
                + routing);
      }
      return MethodKind.STREAM;
    }
    if (options.getSubscription()) {
      return switch (routing) {
        case ROUTING_SINGLE, ROUTING_MULTI -> MethodKind.BROADCAST;
        case ROUTING_QUEUE -> MethodKind.QUEUE;
        default ->
            throw new GenerationException(
                where(method)
                    + ": routing "
                    + routing
                    + " does not apply to a subscription; use ROUTING_QUEUE or none");
      };
    }
    return switch (routing) {
      case ROUTING_SINGLE -> MethodKind.SINGLE;
      case ROUTING_MULTI -> MethodKind.MULTI;
      case ROUTING_AFFINITY -> MethodKind.AFFINITY;
      default ->
          throw new GenerationException(
              where(method)
                  + ": routing "
                  + routing
                  + " applies only to subscriptions; set (pulsarrpc.options).subscription");
    };
  }

  private static String where(MethodDescriptor method) {
    return method.getFile().getName() + ": method " + method.getFullName();
  }
}

package io.pulsarrpc.protoc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.Set;

/**
 * Where protoc's Java generator puts things, so that generated services refer to the message
 * classes by the names they really have: the Java package of a file ({@code java_package}, else the
 * proto package), its outer class ({@code java_outer_classname}, else the file name in camel case,
 * with {@code OuterClass} appended when a type of the file has that name), and a message's class
 * (top-level with {@code java_multiple_files}, else nested in the outer class; nested messages
 * nested in their parents).
 */
final class JavaNames {

  private static final Set<String> KEYWORDS =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "_",
          "record",
          "var",
          "yield",
          "sealed",
          "permits",
          "non-sealed");

  private JavaNames() {}

  /**
   * The Java package of {@code file}'s classes; empty for the default package.
   *
   * @throws GenerationException when a segment is a Java keyword: protoc puts its classes there
   *     too, and they do not compile
   */
  static String javaPackage(FileDescriptor file) {
    String javaPackage =
        file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage() : file.getPackage();
    for (String segment : javaPackage.split("\\.")) {
      if (KEYWORDS.contains(segment)) {
        throw new GenerationException(
            file.getName()
                + ": Java package "
                + javaPackage
                + " has the Java keyword '"
                + segment
                + "' as a segment, where no class compiles; set option java_package");
      }
    }
    return javaPackage;
  }

  /** The fully qualified name of the class of {@code message}. */
  static String messageClass(Descriptor message) {
    StringBuilder nested = new StringBuilder(message.getName());
    for (Descriptor parent = message.getContainingType();
        parent != null;
        parent = parent.getContainingType()) {
      nested.insert(0, parent.getName() + ".");
    }
    FileDescriptor file = message.getFile();
    String owner =
        file.getOptions().getJavaMultipleFiles()
            ? nested.toString()
            : outerClass(file) + "." + nested;
    String javaPackage = javaPackage(file);
    return javaPackage.isEmpty() ? owner : javaPackage + "." + owner;
  }

  /** The simple name of {@code file}'s outer class, as protoc names it. */
  static String outerClass(FileDescriptor file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String fileName = file.getName();
    String base = fileName.substring(fileName.lastIndexOf('/') + 1);
    if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    String name = camelCase(base, true);
    return hasTypeNamed(file, name) ? name + "OuterClass" : name;
  }

  private static boolean hasTypeNamed(FileDescriptor file, String name) {
    for (Descriptor message : file.getMessageTypes()) {
      if (hasTypeNamed(message, name)) {
        return true;
      }
    }
    for (EnumDescriptor enumType : file.getEnumTypes()) {
      if (enumType.getName().equals(name)) {
        return true;
      }
    }
    for (ServiceDescriptor service : file.getServices()) {
      if (service.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasTypeNamed(Descriptor message, String name) {
    if (message.getName().equals(name)) {
      return true;
    }
    for (Descriptor nested : message.getNestedTypes()) {
      if (hasTypeNamed(nested, name)) {
        return true;
      }
    }
    for (EnumDescriptor enumType : message.getEnumTypes()) {
      if (enumType.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * protoc's camel case: a letter after anything but a letter is upper case (and the first one when
   * {@code capitalizeFirst}), digits stay, other characters go.
   */
  static String camelCase(String name, boolean capitalizeFirst) {
    StringBuilder result = new StringBuilder(name.length());
    boolean capitalizeNext = capitalizeFirst;
    for (char c : name.toCharArray()) {
      if (c >= 'a' && c <= 'z') {
        result.append(capitalizeNext ? Character.toUpperCase(c) : c);
        capitalizeNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        result.append(c);
        capitalizeNext = false;
      } else if (c >= '0' && c <= '9') {
        result.append(c);
        capitalizeNext = true;
      } else {
        capitalizeNext = true;
      }
    }
    return result.toString();
  }

  /** A Java identifier for {@code name}: {@code _} appended to a Java keyword. */
  static String identifier(String name) {
    return KEYWORDS.contains(name) ? name + "_" : name;
  }

  /** The Java method name of an RPC: its name with a lower-case first letter, keyword-safe. */
  static String methodName(String rpcName) {
    return identifier(Character.toLowerCase(rpcName.charAt(0)) + rpcName.substring(1));
  }

  /** The RPC name with an upper-case first letter, to build names such as {@code publishFoo}. */
  static String capitalized(String rpcName) {
    return Character.toUpperCase(rpcName.charAt(0)) + rpcName.substring(1);
  }
}

package io.pulsarrpc.protoc;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import java.util.Arrays;

/**
 * The comments of a .proto file and their text in javadoc: what javadoc or the compiler would read
 * as markup or as the end of the comment is escaped.
 */
final class Comments {

  private Comments() {}

  /**
   * The leading comment of the element at {@code path} (for example {@code 6, i} for the i-th
   * service, {@code 6, i, 2, j} for its j-th method), trimmed; empty when it has none.
   */
  static String leading(SourceCodeInfo info, int... path) {
    for (SourceCodeInfo.Location location : info.getLocationList()) {
      int[] locationPath = location.getPathList().stream().mapToInt(Integer::intValue).toArray();
      if (Arrays.equals(locationPath, path) && location.hasLeadingComments()) {
        return location.getLeadingComments().strip();
      }
    }
    return "";
  }

  /**
   * {@code text} made safe inside a javadoc comment: {@code &}, {@code <}, {@code >}, {@code @},
   * {@code *}{@code /} and backslashes (which could start a unicode escape) become entities.
   */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '@' -> escaped.append("&#64;");
        case '\\' -> escaped.append("&#92;");
        case '/' -> escaped.append(i > 0 && text.charAt(i - 1) == '*' ? "&#47;" : "/");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * A javadoc comment at {@code indent} with the escaped {@code comment} (when not empty, as its
   * own paragraphs) followed by {@code text}, which is javadoc already: a sentence, then block tags
   * on lines of their own.
   */
  static String javadoc(String indent, String comment, String text) {
    StringBuilder doc = new StringBuilder(indent).append("/**\n");
    if (!comment.isEmpty()) {
      for (String line : escape(comment).split("\n", -1)) {
        doc.append(indent).append(" * ").append(line.stripTrailing()).append('\n');
      }
      doc.append(indent).append(" *\n");
      doc.append(indent).append(" * <p>");
    } else {
      doc.append(indent).append(" * ");
    }
    String[] lines = text.split("\n", -1);
    doc.append(lines[0]).append('\n');
    for (int i = 1; i < lines.length; i++) {
      doc.append(indent).append(" * ").append(lines[i]).append('\n');
    }
    doc.append(indent).append(" */\n");
    return doc.toString();
  }
}

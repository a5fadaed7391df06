package io.pulsarrpc.protoc;

/**
 * One Java source file to write.
 *
 * @param path the file's path below the output directory, e.g. {@code com/example/FooClient.java}
 * @param source its content
 */
record GeneratedFile(String path, String source) {}

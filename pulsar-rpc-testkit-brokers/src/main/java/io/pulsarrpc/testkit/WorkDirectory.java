package io.pulsarrpc.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** A fixture's own directory: either a fresh temporary one that it deletes, or one it was given. */
final class WorkDirectory {

  private final Path path;
  private final boolean owned;

  private WorkDirectory(Path path, boolean owned) {
    this.path = path;
    this.owned = owned;
  }

  static WorkDirectory temporary(String prefix) {
    try {
      return new WorkDirectory(Files.createTempDirectory(prefix), true);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temporary directory for " + prefix, e);
    }
  }

  static WorkDirectory given(Path path) {
    try {
      return new WorkDirectory(Files.createDirectories(path), false);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create directory " + path, e);
    }
  }

  Path path() {
    return path;
  }

  Path resolve(String child) {
    try {
      return Files.createDirectories(path.resolve(child));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create directory " + path.resolve(child), e);
    }
  }

  /** Deletes the directory and everything in it, when the fixture created it. */
  void deleteIfOwned() {
    if (!owned || !Files.exists(path)) {
      return;
    }
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              deleteQuietly(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                throws IOException {
              deleteQuietly(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + path, e);
    }
  }

  private static void deleteQuietly(Path file) throws IOException {
    try {
      Files.delete(file);
    } catch (NoSuchFileException e) {
      // A process that was just stopped may still remove its own files; that is fine.
    }
  }
}

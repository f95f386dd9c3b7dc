package dev.streamloop.engine.source;

import dev.streamloop.engine.sink.FileSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data files of a file source: a directory's files, or a glob's matches, without hidden and
 * temporary files (names starting with "." or "_", or ending with .tmp or ._COPYING_), oldest first
 * (modification time, then name), as Spark picks them.
 *
 * <p>A directory that another query's file sink writes (it holds {@code _spark_metadata}) is read
 * as Spark reads it: only the files its manifest lists, in batch order, never a directory listing,
 * so the part files of a batch that is not committed (and may be re-run) are never read. Entries
 * are found by file name in this directory, so the two queries may mount it at different paths.
 */
final class FileListing {
  private final Path dir;
  private final PathMatcher matcher;
  private final boolean recursive;

  FileListing(String path) {
    int glob = firstGlobChar(path);
    if (glob < 0) {
      this.dir = Path.of(path);
      this.matcher = null;
      this.recursive = false;
    } else {
      String prefix = path.substring(0, path.lastIndexOf('/', glob) + 1);
      this.dir = Path.of(prefix.isEmpty() ? "/" : prefix);
      this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + path);
      this.recursive = path.indexOf('/', glob) >= 0;
    }
  }

  List<FileEntry> list() {
    if (matcher == null && Files.isDirectory(dir.resolve(FileSink.MANIFEST_DIR))) {
      return committedFiles();
    }
    List<FileEntry> files = new ArrayList<>();
    try (Stream<Path> paths = recursive ? Files.walk(dir) : Files.list(dir)) {
      paths
          .filter(p -> matcher == null || matcher.matches(p))
          .filter(p -> visible(p.getFileName().toString()))
          .forEach(
              p -> {
                try {
                  BasicFileAttributes attributes =
                      Files.readAttributes(p, BasicFileAttributes.class);
                  if (attributes.isRegularFile()) {
                    files.add(
                        new FileEntry(
                            p.toString(),
                            attributes.size(),
                            attributes.lastModifiedTime().toMillis()));
                  }
                } catch (NoSuchFileException e) {
                  // moved away between listing and reading its attributes: not ours to read
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    files.sort(
        Comparator.comparingLong(FileEntry::modificationTime).thenComparing(FileEntry::path));
    return files;
  }

  private List<FileEntry> committedFiles() {
    List<FileEntry> files = new ArrayList<>();
    for (Path written : FileSink.committedFiles(dir)) {
      Path file = dir.resolve(written.getFileName().toString());
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        files.add(
            new FileEntry(
                file.toString(), attributes.size(), attributes.lastModifiedTime().toMillis()));
      } catch (NoSuchFileException e) {
        // removed by the writer's retention after its manifest entry was compacted away
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return files;
  }

  static boolean visible(String name) {
    return !name.startsWith(".")
        && !name.startsWith("_")
        && !name.endsWith(".tmp")
        && !name.endsWith("._COPYING_");
  }

  static boolean isGlob(String path) {
    return firstGlobChar(path) >= 0;
  }

  private static int firstGlobChar(String path) {
    for (int i = 0; i < path.length(); i++) {
      if ("*?[{".indexOf(path.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}

package dev.streamloop.engine.source;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.streamloop.engine.LogText;
import dev.streamloop.engine.sink.FileSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(FileListing.class);

  private final Path dir;
  private final PathMatcher matcher;
  private final boolean recursive;
  private final Path volume;
  private final Set<String> reportedLinks = new HashSet<>();

  /**
   * The files at {@code path} (a directory or a glob), on the volume whose directory is {@code
   * volume}: a symbolic link is read only when it leads to a file inside that volume.
   */
  FileListing(String path, String volume) {
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
    this.volume = Path.of(volume);
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
                      Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
                  if (attributes.isSymbolicLink()) {
                    attributes = linkedFile(p);
                  }
                  if (attributes != null && attributes.isRegularFile()) {
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

  /** The attributes of the file a link leads to, or null when it leads out of the volume. */
  private BasicFileAttributes linkedFile(Path link) throws IOException {
    try {
      if (link.toRealPath().startsWith(volume.toRealPath())) {
        return Files.readAttributes(link, BasicFileAttributes.class);
      }
      skipLink(link, "it leads out of the volume at " + volume);
    } catch (NoSuchFileException e) {
      skipLink(link, "it leads to nothing");
    } catch (FileSystemException e) {
      skipLink(link, "it cannot be followed (" + e.getReason() + ")");
    }
    return null;
  }

  private void skipLink(Path link, String why) {
    if (reportedLinks.add(link.toString())) {
      LOG.warn("skipping the symbolic link {}: {}", LogText.escape(link.toString()), why);
    }
  }

  /**
   * The file to open for {@code file}, links resolved, checked again when the batch reads it: a
   * link changed since the listing must not lead out of the volume either.
   */
  Path openable(String file) throws IOException {
    Path real = Path.of(file).toRealPath();
    if (!real.startsWith(volume.toRealPath())) {
      throw new IOException(
          "cannot read "
              + LogText.escape(file)
              + ": it is a symbolic link that leads out of the volume at "
              + volume);
    }
    return real;
  }

  private List<FileEntry> committedFiles() {
    List<FileEntry> files = new ArrayList<>();
    for (Path written : FileSink.committedFiles(dir)) {
      Path file = dir.resolve(written.getFileName().toString());
      try {
        BasicFileAttributes attributes =
            Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
          attributes = linkedFile(file);
        }
        if (attributes == null) {
          continue;
        }
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

package dev.streamloop.engine.state.rocksdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamloop.engine.checkpoint.AtomicFiles;
import dev.streamloop.engine.state.StateFileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One committed version of a RocksDB store, the file {@code <v>.rocksdb}: the immutable SST files
 * it needs (each stored once under a unique name in {@code sst/} and shared by every version that
 * needs it, with its size and CRC-32), RocksDB's small per-version files (MANIFEST, CURRENT,
 * OPTIONS) inline, and the key count. Written last and atomically, so a version either exists whole
 * or not at all: a runner killed while uploading its SST files leaves only unreferenced files,
 * which retention deletes.
 *
 * @param version The version.
 * @param keys How many keys the store holds at this version.
 * @param ssts The SST files, by their name in the RocksDB directory.
 * @param files The other files of the RocksDB directory, by name, with their content.
 */
record RocksDbVersion(
    long version, long keys, Map<String, StoredSst> ssts, Map<String, byte[]> files) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 1;

  /**
   * An SST file in the checkpoint.
   *
   * @param stored Its name in {@code sst/} (the local name with a unique suffix: a re-run batch can
   *     produce another file of the same local name).
   * @param bytes Its length.
   * @param crc32 Its CRC-32.
   */
  record StoredSst(String stored, long bytes, long crc32) {}

  static Path file(Path dir, long version) {
    return dir.resolve(version + ".rocksdb");
  }

  /** Writes this version's file in {@code dir}; returns its length. */
  long write(Path dir) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("format", FORMAT);
    json.put("version", version);
    json.put("keys", keys);
    ArrayNode sstArray = json.putArray("ssts");
    ssts.forEach(
        (name, sst) ->
            sstArray
                .addObject()
                .put("name", name)
                .put("stored", sst.stored())
                .put("bytes", sst.bytes())
                .put("crc32", sst.crc32()));
    ObjectNode fileObject = json.putObject("files");
    files.forEach(fileObject::put);
    byte[] bytes = JSON.writeValueAsBytes(json);
    return AtomicFiles.replace(file(dir, version), out -> out.write(bytes));
  }

  /** Reads version {@code version} of the store in {@code dir}. */
  static RocksDbVersion read(Path dir, long version) {
    Path file = file(dir, version);
    try {
      JsonNode json = JSON.readTree(Files.readAllBytes(file));
      if (json.path("format").asInt() != FORMAT || json.path("version").asLong(-1) != version) {
        throw StateFileErrors.corrupt(
            file, "is not a RocksDB state version " + version + " of this release");
      }
      Map<String, StoredSst> ssts = new LinkedHashMap<>();
      for (JsonNode sst : json.path("ssts")) {
        ssts.put(
            sst.path("name").asText(),
            new StoredSst(
                sst.path("stored").asText(),
                sst.path("bytes").asLong(),
                sst.path("crc32").asLong()));
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      var names = json.path("files").fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        files.put(name, json.path("files").path(name).binaryValue());
      }
      if (!files.containsKey("CURRENT")) {
        throw StateFileErrors.corrupt(file, "lists no CURRENT file");
      }
      return new RocksDbVersion(version, json.path("keys").asLong(), ssts, files);
    } catch (NoSuchFileException e) {
      throw StateFileErrors.missing(file, version, dir);
    } catch (IOException e) {
      throw StateFileErrors.corrupt(file, "cannot be read: " + e.getMessage());
    }
  }

  /** The stored names of the SST files version {@code version} in {@code dir} needs. */
  static List<String> storedNames(Path dir, long version) {
    List<String> names = new ArrayList<>();
    read(dir, version).ssts().values().forEach(s -> names.add(s.stored()));
    return names;
  }
}

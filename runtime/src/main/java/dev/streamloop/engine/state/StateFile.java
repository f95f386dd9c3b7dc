package dev.streamloop.engine.state;

import dev.streamloop.engine.checkpoint.AtomicFiles;
import dev.streamloop.engine.checkpoint.CheckpointException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * One state file: a delta (the puts and removes of one version) or a snapshot (every entry of a
 * version). Layout: magic, format, kind, version; format 2 then the key-group count and, for each
 * key group with records, a section (3, the group, its record count, its records); format 1 (older
 * releases) has the records without sections. A record is 1 key value (put) or 2 key (remove). Then
 * 0, the record count and a CRC-32 of everything before it, so that a truncated or damaged file is
 * detected instead of read as less state. Sections keep each key group's records apart, so a runner
 * that owns some key groups reads only theirs.
 */
final class StateFile {
  private static final int MAGIC = 0x534c5354; // "SLST"
  private static final byte FORMAT = 2;
  private static final byte SECTION = 3;
  private static final byte PUT = 1;
  private static final byte REMOVE = 2;
  private static final byte END = 0;

  /** Receives the records of a file in order; value null means removed. */
  interface Records {
    void accept(List<Object> key, Object[] value);
  }

  private StateFile() {}

  /** Writes {@code records} (value null: a removal) as {@code file}; returns bytes written. */
  static long write(
      Path file, char kind, long version, KeyGroups keyGroups, Map<List<Object>, Object[]> records)
      throws IOException {
    List<List<Map.Entry<List<Object>, Object[]>>> sections = sections(keyGroups, records);
    return AtomicFiles.replace(
        file,
        raw -> {
          CRC32 crc = new CRC32();
          // buffered before the checksum: a CRC update per 64 KiB instead of one per byte
          DataOutputStream out =
              new DataOutputStream(
                  new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16));
          out.writeInt(MAGIC);
          out.writeByte(FORMAT);
          out.writeByte(kind);
          out.writeLong(version);
          out.writeShort(keyGroups.count());
          for (int group = 0; group < sections.size(); group++) {
            List<Map.Entry<List<Object>, Object[]>> section = sections.get(group);
            if (section.isEmpty()) {
              continue;
            }
            out.writeByte(SECTION);
            out.writeShort(group);
            out.writeInt(section.size());
            for (Map.Entry<List<Object>, Object[]> record : section) {
              out.writeByte(record.getValue() == null ? REMOVE : PUT);
              StateCodec.writeRow(out, record.getKey());
              if (record.getValue() != null) {
                StateCodec.writeRow(out, java.util.Arrays.asList(record.getValue()));
              }
            }
          }
          out.writeByte(END);
          out.writeInt(records.size());
          out.flush();
          new DataOutputStream(raw).writeLong(crc.getValue());
        });
  }

  private static List<List<Map.Entry<List<Object>, Object[]>>> sections(
      KeyGroups keyGroups, Map<List<Object>, Object[]> records) {
    List<List<Map.Entry<List<Object>, Object[]>>> sections = new ArrayList<>(keyGroups.count());
    for (int i = 0; i < keyGroups.count(); i++) {
      sections.add(new ArrayList<>());
    }
    for (Map.Entry<List<Object>, Object[]> record : records.entrySet()) {
      sections.get(keyGroups.of(record.getKey())).add(record);
    }
    return sections;
  }

  /** Reads {@code file}, which must be of {@code kind} and {@code version}. */
  static void read(Path file, char kind, long version, Records records) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CRC32 crc = new CRC32();
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      int magic = in.readInt();
      byte format = in.readByte();
      if (magic != MAGIC || format < 1 || format > FORMAT || in.readByte() != kind) {
        throw StateFileErrors.corrupt(
            file, "is not a state " + (kind == 'D' ? "delta" : "snapshot") + " file");
      }
      if (in.readLong() != version) {
        throw StateFileErrors.corrupt(file, "holds another version than its name says");
      }
      if (format >= 2) {
        in.readUnsignedShort(); // the key groups it was written with: each key says its own
      }
      int count = 0;
      for (byte op = in.readByte(); op != END; op = in.readByte()) {
        if (op == SECTION && format >= 2) {
          in.readUnsignedShort();
          in.readInt();
          continue;
        }
        List<Object> key = StateCodec.readRow(in);
        if (op == PUT) {
          records.accept(key, StateCodec.readRow(in).toArray());
        } else if (op == REMOVE) {
          records.accept(key, null);
        } else {
          throw StateFileErrors.corrupt(file, "has an unknown record type " + op);
        }
        count++;
      }
      if (in.readInt() != count) {
        throw StateFileErrors.corrupt(file, "has another record count than it says");
      }
      long expected = crc.getValue();
      if (new DataInputStream(raw).readLong() != expected) {
        throw StateFileErrors.corrupt(file, "fails its checksum");
      }
    } catch (EOFException e) {
      throw StateFileErrors.corrupt(file, "is truncated");
    } catch (IOException e) {
      throw new CheckpointException(file, "unreadable: " + e.getMessage(), e);
    }
  }
}

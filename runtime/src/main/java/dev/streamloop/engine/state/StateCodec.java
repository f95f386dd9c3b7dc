package dev.streamloop.engine.state;

import com.google.common.hash.Hashing;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Writes and reads the values a state store holds (group keys, accumulators): the Java types the
 * compiled queries produce (Long, Integer, Double, String, Boolean, BigDecimal, byte strings), each
 * behind a one-byte tag. A format of our own, small and stable, instead of Java serialization: a
 * checkpoint must stay readable by the next runner version.
 */
public final class StateCodec {
  private static final byte NULL = 0;
  private static final byte LONG = 1;
  private static final byte INT = 2;
  private static final byte DOUBLE = 3;
  private static final byte STRING = 4;
  private static final byte TRUE = 5;
  private static final byte FALSE = 6;
  private static final byte DECIMAL = 7;
  private static final byte BYTES = 8;

  private StateCodec() {}

  /** {@code values} as bytes (a state key, or a value's array as a list). */
  public static byte[] encode(List<Object> values) {
    Encoder encoder = ENCODER.get().encode(values);
    return Arrays.copyOf(encoder.bytes, encoder.size);
  }

  /** Murmur3 (32 bits) of {@link #encode}'s bytes, without copying them out. */
  static int murmur3(List<Object> values) {
    Encoder encoder = ENCODER.get().encode(values);
    return Hashing.murmur3_32_fixed().hashBytes(encoder.bytes, 0, encoder.size).asInt();
  }

  /**
   * A thread's buffer for encoding keys and values: every commit encodes each changed key (its key
   * group), so a new stream per key, and ByteArrayOutputStream's locking per byte, showed in
   * profiles of large commits.
   */
  private static final ThreadLocal<Encoder> ENCODER = ThreadLocal.withInitial(Encoder::new);

  private static final class Encoder extends OutputStream {
    private byte[] bytes = new byte[256];
    private int size;
    private final DataOutputStream out = new DataOutputStream(this);

    Encoder encode(List<Object> values) {
      size = 0;
      try {
        writeRow(out, values);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a byte array does not fail
      }
      return this;
    }

    @Override
    public void write(int b) {
      room(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      room(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    private void room(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }

  /** The values {@link #encode} wrote, from {@code offset} of {@code bytes}. */
  public static List<Object> decode(byte[] bytes, int offset) throws IOException {
    return readRow(
        new DataInputStream(
            new java.io.ByteArrayInputStream(bytes, offset, bytes.length - offset)));
  }

  static void writeRow(DataOutputStream out, List<Object> values) throws IOException {
    out.writeShort(values.size());
    for (Object value : values) {
      write(out, value);
    }
  }

  static List<Object> readRow(DataInputStream in) throws IOException {
    int size = in.readUnsignedShort();
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add(read(in));
    }
    return values;
  }

  static void write(DataOutputStream out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof String s) {
      out.writeByte(STRING);
      writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else if (value instanceof BigDecimal d) {
      out.writeByte(DECIMAL);
      out.writeInt(d.scale());
      writeBytes(out, d.unscaledValue().toByteArray());
    } else if (value instanceof ByteString b) {
      out.writeByte(BYTES);
      writeBytes(out, b.getBytes());
    } else if (value instanceof byte[] b) { // an operator's own bytes, read back as a ByteString
      out.writeByte(BYTES);
      writeBytes(out, b);
    } else {
      throw new IllegalArgumentException(
          "state cannot hold a " + value.getClass().getName() + " value");
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static Object read(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case LONG -> in.readLong();
      case INT -> in.readInt();
      case DOUBLE -> in.readDouble();
      case STRING -> new String(bytes(in), StandardCharsets.UTF_8);
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case DECIMAL -> {
        int scale = in.readInt();
        yield new BigDecimal(new BigInteger(bytes(in)), scale);
      }
      case BYTES -> new ByteString(bytes(in));
      default -> throw new IOException("unknown value tag " + tag);
    };
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 64 << 20) {
      throw new IOException("implausible length " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}

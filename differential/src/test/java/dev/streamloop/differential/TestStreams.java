package dev.streamloop.differential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The generated streams both engines read: JSON-lines files, one per batch (maxFilesPerTrigger 1),
 * with distinct modification times so that both take them in the same order. Event time moves
 * forward file by file with jitter, so that a 10-second watermark finds late rows.
 */
final class TestStreams {
  /**
   * A stream: its table name, its columns (name, type as the CRD names it), its directory, and
   * whether it is a static table (read whole, joined with the streams) instead.
   */
  record Stream(String name, Map<String, String> columns, Path dir, boolean isStatic) {
    Stream(String name, Map<String, String> columns, Path dir) {
      this(name, columns, dir, false);
    }

    /** The schema as Spark's DDL. */
    String sparkSchema() {
      List<String> fields = new ArrayList<>();
      columns.forEach((name, type) -> fields.add("`" + name + "` " + sparkType(type)));
      return String.join(", ", fields);
    }

    private static String sparkType(String type) {
      return switch (type) {
        case "long" -> "BIGINT";
        case "int" -> "INT";
        case "double" -> "DOUBLE";
        case "timestamp" -> "TIMESTAMP";
        case "date" -> "DATE";
        case "boolean" -> "BOOLEAN";
        default -> "STRING";
      };
    }
  }

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** The files' modification times start here, a second apart. */
  private static final Instant WRITTEN = Instant.now().minusSeconds(3600);

  private static final String[] COUNTRIES = {"DE", "FR", "US", "JP", "BR"};
  private static final String[] PAGES = {"/", "/cart", "/p/1", "/p/2", "/checkout"};

  private TestStreams() {}

  static List<Stream> write(Path root) throws IOException {
    return List.of(
        events(root.resolve("events")),
        clicks(root.resolve("clicks")),
        orders(root.resolve("orders")),
        customers(root.resolve("customers")));
  }

  private static Stream events(Path dir) throws IOException {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("ts", "timestamp");
    columns.put("user", "string");
    columns.put("country", "string");
    columns.put("amount", "long");
    columns.put("price", "double");
    columns.put("status", "string");
    columns.put("payload", "string");
    columns.put("url", "string");
    columns.put("day", "date");
    columns.put("flag", "boolean");
    Random random = new Random(42);
    for (int file = 0; file < 6; file++) {
      StringBuilder lines = new StringBuilder();
      for (int row = 0; row < 40; row++) {
        Instant ts = T0.plusMillis(file * 20_000L + random.nextInt(40_000) - 20_000L);
        int id = file * 40 + row;
        String user = random.nextInt(20) == 0 ? null : "u" + random.nextInt(8);
        String status = random.nextInt(10) == 0 ? null : random.nextInt(4) == 0 ? "error" : "ok";
        lines
            .append("{\"ts\":\"")
            .append(ts)
            .append('"')
            .append(user == null ? "" : ",\"user\":\"" + user + "\"")
            .append(",\"country\":\"")
            .append(COUNTRIES[random.nextInt(COUNTRIES.length)])
            .append("\",\"amount\":")
            .append(random.nextInt(560) - 60)
            .append(",\"price\":")
            .append(random.nextInt(10_000) / 100.0)
            .append(status == null ? "" : ",\"status\":\"" + status + "\"")
            .append(",\"payload\":\"{\\\"id\\\":")
            .append(id)
            .append(",\\\"kind\\\":\\\"")
            .append((char) ('a' + random.nextInt(3)))
            .append("\\\",\\\"tags\\\":[\\\"x\\\",\\\"y")
            .append(random.nextInt(3))
            .append("\\\"]}\",\"url\":\"https://shop.example/p/")
            .append(random.nextInt(50))
            .append("?ref=")
            .append(random.nextBoolean() ? "mail" : "ad")
            .append("\",\"day\":\"")
            .append(LocalDate.of(2026, 2, 20).plusDays(random.nextInt(15)))
            .append("\",\"flag\":")
            .append(random.nextBoolean())
            .append("}\n");
      }
      writeFile(dir, file, lines.toString());
    }
    return new Stream("events", columns, dir);
  }

  private static Stream clicks(Path dir) throws IOException {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("ts", "timestamp");
    columns.put("user", "string");
    columns.put("page", "string");
    Random random = new Random(7);
    for (int file = 0; file < 4; file++) {
      StringBuilder lines = new StringBuilder();
      for (int row = 0; row < 30; row++) {
        Instant ts = T0.plusMillis(file * 30_000L + random.nextInt(30_000) - 5_000L);
        lines
            .append("{\"ts\":\"")
            .append(ts)
            .append("\",\"user\":\"u")
            .append(random.nextInt(8))
            .append("\",\"page\":\"")
            .append(PAGES[random.nextInt(PAGES.length)])
            .append("\"}\n");
      }
      writeFile(dir, file, lines.toString());
    }
    return new Stream("clicks", columns, dir);
  }

  /**
   * Orders delivered at least once: an order id recurs within a file and in the next files (a
   * redelivery, sometimes with its very event time), each file in event-time order (so that the
   * first row of a key in a file is its earliest, which both deduplications keep), the files
   * overlapping in event time so that a 10 s watermark finds late rows.
   */
  private static Stream orders(Path dir) throws IOException {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("ts", "timestamp");
    columns.put("order_id", "long");
    columns.put("customer", "string");
    columns.put("amount", "long");
    Random random = new Random(11);
    List<long[]> sent = new ArrayList<>();
    for (int file = 0; file < 6; file++) {
      List<long[]> rows = new ArrayList<>();
      for (int row = 0; row < 30; row++) {
        if (!sent.isEmpty() && random.nextInt(5) == 0) {
          rows.add(sent.get(random.nextInt(sent.size()))); // redelivered as it was
        } else {
          long offset = file * 20_000L + random.nextInt(40_000) - 25_000L;
          rows.add(new long[] {offset, file * 6L + random.nextInt(15), random.nextInt(500)});
        }
      }
      rows.sort(java.util.Comparator.comparingLong((long[] r) -> r[0]));
      StringBuilder lines = new StringBuilder();
      for (long[] r : rows) {
        lines
            .append("{\"ts\":\"")
            .append(T0.plusMillis(r[0]))
            .append("\",\"order_id\":")
            .append(r[1])
            .append(",\"customer\":\"c")
            .append(r[1] % 4)
            .append("\",\"amount\":")
            .append(r[2])
            .append("}\n");
      }
      sent.addAll(rows);
      writeFile(dir, file, lines.toString());
    }
    return new Stream("orders", columns, dir);
  }

  /**
   * A static table of users: u0 to u5 (u6, u7 and the events without a user find no match), u1
   * twice (a join gives its events twice), over two files.
   */
  private static Stream customers(Path dir) throws IOException {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("user", "string");
    columns.put("segment", "string");
    columns.put("credit", "long");
    String[] segments = {"gold", "silver", "bronze"};
    for (int file = 0; file < 2; file++) {
      StringBuilder lines = new StringBuilder();
      for (int u = file * 3; u < file * 3 + 3; u++) {
        lines.append(customer(u, segments[u % 3], 100L * u));
      }
      if (file == 1) {
        lines.append(customer(1, "platinum", 1000));
      }
      writeFile(dir, file, lines.toString());
    }
    return new Stream("customers", columns, dir, true);
  }

  private static String customer(int user, String segment, long credit) {
    return "{\"user\":\"u%d\",\"segment\":\"%s\",\"credit\":%d}\n".formatted(user, segment, credit);
  }

  private static void writeFile(Path dir, int index, String text) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(String.format("part-%03d.json", index));
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(WRITTEN.plusSeconds(index)));
  }
}

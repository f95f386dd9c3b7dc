package bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.window;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Runs one benchmark workload with Spark Structured Streaming in local mode
 * (default local[2]) over a directory of JSON-lines files, using
 * Trigger.AvailableNow so the query ends by itself, and prints exactly one
 * line on stdout:
 *
 * <pre>RESULT {"workload":"W1","rows":...,"batches":...,"wallSec":...,...}</pre>
 *
 * Workloads:
 * <ul>
 *   <li>W1 stateless filter/project -&gt; JSON file sink (append)</li>
 *   <li>W2 GROUP BY country count/sum, complete mode -&gt; foreachBatch, each
 *       batch's full result collected and written as ONE JSON-lines file
 *       (output/batch-&lt;id&gt;.json)</li>
 *   <li>W3 1-minute tumbling window per country with a 10 s watermark, append
 *       mode -&gt; JSON file sink</li>
 *   <li>W4 the W1 query; meant for many tiny files with maxFilesPerTrigger=1
 *       (per-batch overhead)</li>
 * </ul>
 *
 * Timing: wallSec = System.nanoTime() from just before
 * DataStreamWriter.start() until awaitTermination() returns. startupSec = JVM
 * start (RuntimeMXBean start time) until SparkSession.getOrCreate() returned.
 * Per-batch numbers come from StreamingQueryProgress.durationMs
 * ("triggerExecution") of every progress entry that actually ran a batch
 * (has an "addBatch" entry).
 */
public final class SparkBaseline {

  private SparkBaseline() {}

  static final class Args {
    String workload;
    String dimension; // W6: the static table's directory
    String input2; // W7: the second stream's directory
    String input;
    int maxFilesPerTrigger = 2;
    String master = "local[2]";
    int shufflePartitions = 2;
    String workDir = System.getProperty("java.io.tmpdir");
    boolean keep = false;
    boolean verify = false;
    String batchCsv;
    String tag = "";
    final Map<String, String> confs = new LinkedHashMap<>();

    static Args parse(String[] argv) {
      Args a = new Args();
      for (int i = 0; i < argv.length; i++) {
        String k = argv[i];
        switch (k) {
          case "--workload" -> a.workload = argv[++i].toUpperCase();
          case "--input" -> a.input = argv[++i];
          case "--dimension" -> a.dimension = argv[++i];
          case "--input2" -> a.input2 = argv[++i];
          case "--max-files-per-trigger" -> a.maxFilesPerTrigger = Integer.parseInt(argv[++i]);
          case "--master" -> a.master = argv[++i];
          case "--shuffle-partitions" -> a.shufflePartitions = Integer.parseInt(argv[++i]);
          case "--work-dir" -> a.workDir = argv[++i];
          case "--batch-csv" -> a.batchCsv = argv[++i];
          case "--tag" -> a.tag = argv[++i];
          case "--keep" -> a.keep = true;
          case "--verify" -> a.verify = true;
          case "--conf" -> {
            String kv = argv[++i];
            int eq = kv.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--conf wants key=value, got " + kv);
            }
            a.confs.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          case "-h", "--help" -> {
            usage();
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("unknown argument " + k);
        }
      }
      if (a.workload == null || a.input == null) {
        usage();
        System.exit(2);
      }
      if (!List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7").contains(a.workload)) {
        throw new IllegalArgumentException("workload must be W1..W4, got " + a.workload);
      }
      return a;
    }

    static void usage() {
      System.err.println(
          "usage: SparkBaseline --workload W1|W2|W3|W4|W5|W6|W7 --input DIR [--dimension DIR (W6)]"
              + " [--input2 DIR (W7)]\n"
              + "  [--max-files-per-trigger N (2)] [--master local[2]] [--shuffle-partitions N (2)]\n"
              + "  [--work-dir DIR (java.io.tmpdir); a fresh sub dir holds checkpoint/ output/ local/]\n"
              + "  [--batch-csv FILE (per-batch progress)] [--tag TEXT] [--keep] [--verify]\n"
              + "  [--conf spark.key=value ...]");
    }
  }

  public static void main(String[] argv) throws Exception {
    final long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    final long mainEntryMs = System.currentTimeMillis();
    Args a = Args.parse(argv);

    Path runDir = Files.createTempDirectory(Paths.get(a.workDir), "spark-bench-" + a.workload + "-");
    Path checkpoint = runDir.resolve("checkpoint");
    Path output = runDir.resolve("output");
    Files.createDirectories(output);

    SparkSession.Builder b = SparkSession.builder()
        .appName("spark-baseline-" + a.workload)
        .master(a.master)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.local.dir", runDir.resolve("local").toString())
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", String.valueOf(a.shufflePartitions))
        // keep every progress entry (W4 has 300 batches; default keeps 100)
        .config("spark.sql.streaming.numRecentProgressUpdates", "100000");
    for (Map.Entry<String, String> e : a.confs.entrySet()) {
      b = b.config(e.getKey(), e.getValue());
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    final long sessionReadyMs = System.currentTimeMillis();

    StructType schema = new StructType()
        .add("ts", DataTypes.LongType)
        .add("user", DataTypes.StringType)
        .add("country", DataTypes.StringType)
        .add("amount", DataTypes.DoubleType);

    Dataset<Row> events = spark.readStream()
        .format("json")
        .schema(schema)
        .option("maxFilesPerTrigger", String.valueOf(a.maxFilesPerTrigger))
        .load(a.input)
        .withColumn("event_time", expr("timestamp_millis(ts)"));
    events.createOrReplaceTempView("events");

    final String outDir = output.toString();
    DataStreamWriter<Row> writer;
    switch (a.workload) {
      case "W1", "W4" -> {
        Dataset<Row> q = spark.sql(
            "SELECT user, CAST(amount*100 AS BIGINT) AS cents, country FROM events "
                + "WHERE country IN ('DE','FR','US')");
        writer = q.writeStream().format("json").outputMode("append").option("path", outDir);
      }
      case "W2" -> {
        Dataset<Row> q = spark.sql(
            "SELECT country, count(*) AS n, sum(amount) AS total FROM events GROUP BY country");
        VoidFunction2<Dataset<Row>, Long> perBatch = (df, batchId) -> {
          // complete mode: df is the full aggregate (<= 50 rows); one file per batch
          List<String> lines = df.toJSON().collectAsList();
          Path f = Paths.get(outDir, String.format("batch-%06d.json", batchId));
          Path tmp = Paths.get(outDir, String.format(".batch-%06d.json.tmp", batchId));
          Files.write(tmp, lines, StandardCharsets.UTF_8);
          Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        };
        writer = q.writeStream().outputMode("complete").foreachBatch(perBatch);
      }
      case "W3" -> {
        Dataset<Row> q = events
            .withWatermark("event_time", "10 seconds")
            .groupBy(window(col("event_time"), "1 minute"), col("country"))
            .count();
        writer = q.writeStream().format("json").outputMode("append").option("path", outDir);
      }
      case "W5" -> {
        // large state: one group per user, update mode; each batch's changed groups are counted
        // (what a sink receives) and the count appended to a file, so the output costs little
        Dataset<Row> q = spark.sql(
            "SELECT user, count(*) AS n, sum(amount) AS total FROM events GROUP BY user");
        VoidFunction2<Dataset<Row>, Long> perBatch = (df, batchId) -> {
          long rows = df.count();
          Files.writeString(Paths.get(outDir, "batches.txt"), batchId + " " + rows + "\n",
              StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
        };
        writer = q.writeStream().outputMode("update").foreachBatch(perBatch);
      }
      case "W6" -> {
        // stream-static join: each event enriched from a static table of users, the gold ones
        // written as JSON files (the W1 sink)
        spark.read()
            .schema("user STRING, segment STRING, credit BIGINT")
            .json(a.dimension)
            .createOrReplaceTempView("customers");
        Dataset<Row> q = spark.sql(
            "SELECT e.user, CAST(e.amount * 100 AS BIGINT) AS cents, c.segment, c.credit"
                + " FROM events e JOIN customers c ON e.user = c.user WHERE c.segment = 'gold'");
        writer = q.writeStream().format("json").outputMode("append").option("path", outDir);
      }
      case "W7" -> {
        // stream-stream join: two W1-shaped streams, each with a 30 s watermark, joined on user
        // and country within 10 minutes; written as JSON files (the W1 sink)
        spark.readStream()
            .format("json")
            .schema(schema)
            .option("maxFilesPerTrigger", String.valueOf(a.maxFilesPerTrigger))
            .load(a.input2)
            .withColumn("event_time", expr("timestamp_millis(ts)"))
            .withWatermark("event_time", "30 seconds")
            .createOrReplaceTempView("later");
        events.withWatermark("event_time", "30 seconds").createOrReplaceTempView("earlier");
        Dataset<Row> q = spark.sql(
            "SELECT a.user, a.country, CAST(b.amount * 100 AS BIGINT) AS cents"
                + " FROM earlier a JOIN later b ON a.user = b.user AND a.country = b.country"
                + " AND b.event_time BETWEEN a.event_time AND a.event_time + INTERVAL 10 MINUTES");
        writer = q.writeStream().format("json").outputMode("append").option("path", outDir);
      }
      default -> throw new IllegalStateException(a.workload);
    }
    writer = writer
        .queryName("bench_" + a.workload.toLowerCase())
        .option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow());

    final long gcMs0 = gcMillis();
    final long cpuNs0 = processCpuNanos();
    final long t0 = System.nanoTime();
    StreamingQuery query = writer.start();
    query.awaitTermination();
    final long t1 = System.nanoTime();
    final long cpuNs1 = processCpuNanos();
    final long gcMs1 = gcMillis();

    if (query.exception().isDefined()) {
      throw new RuntimeException("query failed", query.exception().get());
    }

    StreamingQueryProgress[] progress = query.recentProgress();
    List<Long> trig = new ArrayList<>();
    long rows = 0;
    long firstDataBatchRows = -1;
    long firstDataBatchMs = 0;
    int dataBatches = 0;
    long lastStateRows = -1;
    long lastStateMem = -1;
    PrintWriter csv = a.batchCsv == null ? null
        : new PrintWriter(Files.newBufferedWriter(Paths.get(a.batchCsv), StandardCharsets.UTF_8));
    if (csv != null) {
      csv.println("batchId,numInputRows,triggerExecution,latestOffset,getBatch,queryPlanning,"
          + "addBatch,walCommit,commitOffsets,stateRows");
    }
    for (StreamingQueryProgress p : progress) {
      Map<String, Long> d = p.durationMs();
      if (!d.containsKey("addBatch")) {
        continue; // trigger that found no new data and ran no batch
      }
      long te = d.getOrDefault("triggerExecution", -1L);
      trig.add(te);
      rows += p.numInputRows();
      if (p.numInputRows() > 0) {
        dataBatches++;
        if (firstDataBatchRows < 0) {
          firstDataBatchRows = p.numInputRows();
          firstDataBatchMs = te;
        }
      }
      long stateRows = 0;
      long stateMem = 0;
      for (StateOperatorProgress s : p.stateOperators()) {
        stateRows += s.numRowsTotal();
        stateMem += s.memoryUsedBytes();
      }
      if (p.stateOperators().length > 0) {
        lastStateRows = stateRows;
        lastStateMem = stateMem;
      }
      if (csv != null) {
        csv.printf("%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n", p.batchId(), p.numInputRows(), te,
            d.getOrDefault("latestOffset", -1L), d.getOrDefault("getBatch", -1L),
            d.getOrDefault("queryPlanning", -1L), d.getOrDefault("addBatch", -1L),
            d.getOrDefault("walCommit", -1L), d.getOrDefault("commitOffsets", -1L),
            p.stateOperators().length > 0 ? stateRows : -1);
      }
    }
    if (csv != null) {
      csv.close();
    }

    double wallSec = (t1 - t0) / 1e9;
    long[] sorted = trig.stream().mapToLong(Long::longValue).sorted().toArray();
    long batchSumMs = Arrays.stream(sorted).sum();
    // Spark's numInputRows counts rows *after* filters pushed into the JSON reader
    // (W1/W4 only report the DE/FR/US rows), so the input size is counted directly:
    // lines in the (static) input directory, counted after the query, outside the timing.
    long inputRows = countInputLines(Paths.get(a.input));
    // Warm throughput: everything but the first data batch (JIT/codegen warm-up); its
    // share of the input is estimated from its share of numInputRows.
    double warmRowsPerSec = -1;
    if (firstDataBatchRows > 0 && rows > 0 && batchSumMs > firstDataBatchMs) {
      double warmInput = inputRows * (1.0 - (double) firstDataBatchRows / rows);
      warmRowsPerSec = round(warmInput / ((batchSumMs - firstDataBatchMs) / 1000.0), 1);
    }

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("workload", a.workload);
    if (!a.tag.isEmpty()) {
      r.put("tag", a.tag);
    }
    r.put("rows", inputRows);
    r.put("sparkNumInputRows", rows);
    r.put("batches", sorted.length);
    r.put("dataBatches", dataBatches);
    r.put("wallSec", round(wallSec, 3));
    r.put("rowsPerSec", round(inputRows / wallSec, 1));
    r.put("warmRowsPerSec", warmRowsPerSec);
    r.put("firstBatchMs", firstDataBatchMs);
    r.put("batchMedianMs", median(sorted));
    r.put("batchP95Ms", percentileNearestRank(sorted, 95));
    r.put("batchMaxMs", sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
    r.put("batchSumMs", batchSumMs);
    r.put("startupSec", round((sessionReadyMs - jvmStartMs) / 1000.0, 3));
    r.put("sessionInitSec", round((sessionReadyMs - mainEntryMs) / 1000.0, 3));
    r.put("cpuSec", cpuNs0 < 0 ? -1 : round((cpuNs1 - cpuNs0) / 1e9, 2));
    r.put("gcSec", round((gcMs1 - gcMs0) / 1000.0, 3));
    r.put("stateRowsLast", lastStateRows);
    r.put("stateMemBytesLast", lastStateMem);
    r.put("peakRssKbInProcess", vmHwmKb());
    r.put("sparkVersion", spark.version());
    r.put("javaVersion", System.getProperty("java.runtime.version"));
    r.put("master", a.master);
    r.put("shufflePartitions", a.shufflePartitions);
    r.put("maxFilesPerTrigger", a.maxFilesPerTrigger);
    r.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));

    if (a.verify) {
      r.put("verify", verify(spark, a.workload, outDir));
    }

    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(r));
    System.out.flush();

    spark.stop();
    if (!a.keep) {
      deleteRecursively(runDir);
    } else {
      System.err.println("kept " + runDir);
    }
  }

  /** Reads the sink output back (outside the timed window) and summarizes it. */
  static Map<String, Object> verify(SparkSession spark, String workload, String outDir) {
    Map<String, Object> v = new LinkedHashMap<>();
    switch (workload) {
      case "W1", "W4" -> {
        Dataset<Row> o = spark.read().json(outDir);
        v.put("outputRows", o.count());
        v.put("sumCents", o.agg(expr("sum(cents)")).first().get(0));
      }
      case "W2" -> {
        try (Stream<Path> s = Files.list(Paths.get(outDir))) {
          List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("batch-"))
              .sorted(Comparator.naturalOrder()).toList();
          v.put("batchFiles", files.size());
          if (!files.isEmpty()) {
            Dataset<Row> last = spark.read().json(files.get(files.size() - 1).toString());
            Row t = last.agg(expr("count(*)"), expr("sum(n)"), expr("round(sum(total), 2)")).first();
            v.put("lastFileGroups", t.get(0));
            v.put("lastFileSumN", t.get(1));
            v.put("lastFileSumTotal", t.get(2));
          }
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }
      case "W3" -> {
        Dataset<Row> o = spark.read().json(outDir);
        Row t = o.agg(expr("count(*)"), expr("sum(`count`)"), expr("count(distinct window)")).first();
        v.put("outputRows", t.get(0));
        v.put("sumCount", t.get(1));
        v.put("distinctWindows", t.get(2));
      }
      default -> { }
    }
    return v;
  }

  /** Number of '\n' in the non-hidden files of dir (what Spark's file source reads). */
  static long countInputLines(Path dir) throws IOException {
    long n = 0;
    byte[] buf = new byte[1 << 20];
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(".")
              && !p.getFileName().toString().startsWith("_"))
          .toList();
    }
    for (Path f : files) {
      try (java.io.InputStream in = Files.newInputStream(f)) {
        int k;
        while ((k = in.read(buf)) > 0) {
          for (int i = 0; i < k; i++) {
            if (buf[i] == '\n') {
              n++;
            }
          }
        }
      }
    }
    return n;
  }

  static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  static double median(long[] s) {
    if (s.length == 0) {
      return -1;
    }
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
  }

  /** Nearest-rank percentile: the smallest value with at least p% of values <= it. */
  static long percentileNearestRank(long[] s, double p) {
    if (s.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }

  static long gcMillis() {
    long t = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      long c = g.getCollectionTime();
      if (c > 0) {
        t += c;
      }
    }
    return t;
  }

  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** Peak resident set size of this process (VmHWM from /proc/self/status), in KiB. */
  static long vmHwmKb() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}

package dev.streamloop.runner;

import dev.streamloop.engine.sql.QueryCompiler;
import java.util.TimeZone;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The runner's command line: {@code run} a StreamingQuery, {@code validate} documents, {@code diff}
 * an edit.
 */
@Command(
    name = "streamloop",
    mixinStandardHelpOptions = true,
    version = "streamloop runner 0.1.0",
    description = "Runs Streamloop StreamingQuery documents as micro-batch loops.",
    subcommands = {RunCommand.class, ValidateCommand.class, DiffCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    // Spark's session time zone, whatever the container's: Calcite fixes the zone it shifts
    // timestamps by when it loads, and the Spark functions format and parse in UTC
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    if (args.length > 0 && args[0].equals("run")) {
      // Calcite's first compilation is mostly class initialisation: do it on the other core
      // while the command line is parsed and the StreamingQuery is read and validated.
      Thread warmUp = new Thread(QueryCompiler::warmUp, "calcite-warm-up");
      warmUp.setDaemon(true);
      warmUp.start();
    }
    System.exit(new CommandLine(new Main()).execute(args));
  }
}

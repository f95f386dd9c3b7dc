package dev.streamloop.runner;

import dev.streamloop.engine.sql.QueryCompiler;
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

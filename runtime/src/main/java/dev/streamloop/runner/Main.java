package dev.streamloop.runner;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The runner's command line: {@code run} a StreamingQuery, or {@code validate} documents. */
@Command(
    name = "streamloop",
    mixinStandardHelpOptions = true,
    version = "streamloop runner 0.1.0",
    description = "Runs Streamloop StreamingQuery documents as micro-batch loops.",
    subcommands = {RunCommand.class, ValidateCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}

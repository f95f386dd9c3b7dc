package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Checks StreamingQuery documents as the cluster and the runner will: the CRD's schema and CEL
 * rules, then the SQL against the sources' schemas and Spark's output-mode rules. Prints every
 * error; exits 0 when all documents are valid, 2 otherwise. With {@code --running}, a valid
 * document is also classified against the spec that wrote the running checkpoint (the operator's
 * check before a rollout): the verdict and its reasons are printed, and StateIncompatible exits 1.
 */
@Command(name = "validate", description = "Check StreamingQuery documents; print every error.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", arity = "1..*", description = "StreamingQuery YAML files.")
  List<Path> files;

  @Option(
      names = "--running",
      paramLabel = "OLD",
      description =
          "The StreamingQuery the runners run: also print the verdict on the edit (as diff does)"
              + " and exit 1 when the checkpoint cannot serve FILE.")
  Path running;

  @Option(
      names = "--termination-log",
      paramLabel = "FILE",
      description =
          "Also write what was printed here when the exit is not 0 (in Kubernetes:"
              + " /dev/termination-log, 4 KiB, read by the operator).")
  Path terminationLog;

  @Override
  public Integer call() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream console = System.out;
    PrintStream out =
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) {
                console.write(b);
                printed.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                printed.write(b, off, len);
              }
            },
            true,
            StandardCharsets.UTF_8);
    int exit = check(out);
    out.flush();
    if (exit != ExitCodes.OK) {
      new TerminationLog(terminationLog).write(printed.toString(StandardCharsets.UTF_8));
    }
    return exit;
  }

  private int check(PrintStream out) {
    if (running != null && files.size() != 1) {
      System.err.println("--running compares one FILE with the running query; got " + files.size());
      return ExitCodes.INVALID;
    }
    int exit = ExitCodes.OK;
    for (Path file : files) {
      try {
        StreamingQuery query = QueryFiles.load(file);
        QueryAssembler.check(query);
        out.println(file + ": valid");
        if (running != null) {
          exit = verdict(QueryFiles.load(running), query, out);
        }
      } catch (InvalidQueryException e) {
        exit = ExitCodes.INVALID;
        e.errors().forEach(error -> out.println(file + ": " + error));
      }
    }
    return exit;
  }

  /** Prints the verdict on the edit in diff's format (what the operator reads). */
  private static int verdict(StreamingQuery old, StreamingQuery next, PrintStream out)
      throws InvalidQueryException {
    QueryChange.Verdict verdict = QueryChange.classify(old, next);
    verdict.print(out);
    return verdict.exitCode();
  }
}

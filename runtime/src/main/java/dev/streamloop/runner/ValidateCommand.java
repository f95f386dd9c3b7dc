package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Checks StreamingQuery documents as the cluster and the runner will: the CRD's schema and CEL
 * rules, then the SQL against the sources' schemas and Spark's output-mode rules. Prints every
 * error; exits 0 when all documents are valid, 2 otherwise.
 */
@Command(name = "validate", description = "Check StreamingQuery documents; print every error.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", arity = "1..*", description = "StreamingQuery YAML files.")
  List<Path> files;

  @Override
  public Integer call() {
    int exit = ExitCodes.OK;
    for (Path file : files) {
      try {
        StreamingQuery query = QueryFiles.load(file);
        QueryAssembler.check(query);
        System.out.println(file + ": valid");
      } catch (InvalidQueryException e) {
        exit = ExitCodes.INVALID;
        e.errors().forEach(error -> System.out.println(file + ": " + error));
      }
    }
    return exit;
  }
}

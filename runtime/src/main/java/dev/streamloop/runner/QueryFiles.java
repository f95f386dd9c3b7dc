package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.validation.StreamingQueryValidator;
import dev.streamloop.api.validation.ValidationError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads a StreamingQuery document and validates it as the API server would (same CRD). */
final class QueryFiles {
  /** Built once per process: `validate` may check many files. */
  private static final StreamingQueryValidator VALIDATOR = StreamingQueryValidator.fromCrd();

  private QueryFiles() {}

  static StreamingQuery load(Path file) throws InvalidQueryException {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InvalidQueryException(List.of(file + ": no such file"));
    } catch (CharacterCodingException e) {
      throw new InvalidQueryException(
          List.of(file + ": not UTF-8 text: save the StreamingQuery as UTF-8 YAML"));
    } catch (IOException e) {
      throw new InvalidQueryException(List.of(file + ": " + e.getMessage()));
    }
    StreamingQueryValidator.Result result = VALIDATOR.validateYaml(yaml);
    if (!result.isValid()) {
      throw new InvalidQueryException(
          result.errors().stream().map(ValidationError::toString).toList());
    }
    return result.query();
  }
}

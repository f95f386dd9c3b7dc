package dev.streamloop.api.build;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.javadoc.Javadoc;
import com.github.javaparser.javadoc.JavadocBlockTag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Javadoc of the API model, read from its sources: each record's description and its
 * components' {@code @param} texts. These become the CRD's descriptions, so the model is documented
 * in one place.
 */
public final class JavadocIndex {
  private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|link|literal) ([^}]*)}");

  private final Map<String, String> typeDocs = new HashMap<>();
  private final Map<String, Map<String, String>> componentDocs = new HashMap<>();

  /** Reads every Java file under {@code sourceRoot}. */
  public static JavadocIndex read(Path sourceRoot) {
    StaticJavaParser.getParserConfiguration()
        .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
    JavadocIndex index = new JavadocIndex();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(index::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return index;
  }

  private void add(Path file) {
    CompilationUnit unit;
    try {
      unit = StaticJavaParser.parse(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (TypeDeclaration<?> type : unit.findAll(TypeDeclaration.class)) {
      String name = type.getFullyQualifiedName().orElseThrow();
      Optional<Javadoc> javadoc = type.getJavadoc();
      if (javadoc.isEmpty()) {
        continue;
      }
      typeDocs.put(name, clean(javadoc.get().getDescription().toText()));
      if (type instanceof RecordDeclaration) {
        Map<String, String> params = new HashMap<>();
        for (JavadocBlockTag tag : javadoc.get().getBlockTags()) {
          if (tag.getType() == JavadocBlockTag.Type.PARAM && tag.getName().isPresent()) {
            params.put(tag.getName().get(), clean(tag.getContent().toText()));
          }
        }
        componentDocs.put(name, params);
      }
    }
  }

  /** The description of a type, by canonical name; empty when it has no Javadoc. */
  public Optional<String> type(String canonicalName) {
    return Optional.ofNullable(typeDocs.get(canonicalName));
  }

  /** The {@code @param} text of a record component; empty when there is none. */
  public Optional<String> component(String recordCanonicalName, String component) {
    return Optional.ofNullable(componentDocs.getOrDefault(recordCanonicalName, Map.of()))
        .map(m -> m.get(component));
  }

  /** Javadoc to plain text: inline tags unwrapped, entities decoded, whitespace collapsed. */
  static String clean(String text) {
    String plain = INLINE_TAG.matcher(text).replaceAll("$1");
    plain = plain.replace("&#64;", "@").replace("&lt;", "<").replace("&gt;", ">");
    return plain.replace("&amp;", "&").replaceAll("\\s+", " ").trim();
  }
}

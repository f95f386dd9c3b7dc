package dev.streamloop.engine.sql;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

/**
 * Spark's functions that the engine implements itself ({@link SparkDateFunctions}, {@link
 * SparkStringFunctions}, {@link SparkMathFunctions}, {@link SparkJsonFunctions}, {@link
 * BoundedStrings}): each public static method is a function named as Spark names it (dateFormat is
 * DATE_FORMAT), its overloads Spark's optional arguments. They take the place of Calcite's
 * functions of the same names, which follow other databases.
 */
final class SparkFunctions {
  static final List<Class<?>> CLASSES =
      List.of(
          SparkDateFunctions.class,
          SparkStringFunctions.class,
          SparkMathFunctions.class,
          SparkJsonFunctions.class,
          BoundedStrings.class);

  /** The functions' SQL names. */
  static final Set<String> NAMES =
      CLASSES.stream()
          .flatMap(c -> functions(c).stream())
          .map(SparkFunctions::sqlName)
          .collect(Collectors.toCollection(TreeSet::new));

  private SparkFunctions() {}

  static void register(SchemaPlus schema) {
    for (Class<?> c : CLASSES) {
      for (Method method : functions(c)) {
        schema.add(sqlName(method), ScalarFunctionImpl.create(method));
      }
    }
  }

  static List<Method> functions(Class<?> c) {
    return java.util.Arrays.stream(c.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
        .toList();
  }

  /** dateFormat is DATE_FORMAT, datediff DATEDIFF. */
  static String sqlName(Method method) {
    return method
        .getName()
        .replaceAll("([a-z])([A-Z])", "$1_$2")
        .toUpperCase(java.util.Locale.ROOT);
  }
}

package dev.streamloop.engine.sql;

import dev.streamloop.engine.Column;
import java.util.List;

/** A source as the SQL query sees it: a table name and its columns. */
public record TableDefinition(String name, List<Column> columns) {}

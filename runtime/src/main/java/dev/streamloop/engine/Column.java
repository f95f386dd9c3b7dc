package dev.streamloop.engine;

/** A named, typed column of a source or a result. */
public record Column(String name, ColumnKind kind) {}

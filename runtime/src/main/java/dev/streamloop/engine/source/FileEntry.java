package dev.streamloop.engine.source;

/** A file a batch reads: its path, size and modification time when it was listed. */
public record FileEntry(String path, long size, long modificationTime) {}

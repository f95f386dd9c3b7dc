package dev.streamloop.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** The last {@code limit} progress entries (Spark keeps one fewer than its limit; we keep it). */
public final class RecentProgress implements ProgressListener {
  private final int limit;
  private final Deque<StreamingQueryProgress> entries = new ArrayDeque<>();

  public RecentProgress(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void onProgress(StreamingQueryProgress progress) {
    entries.addLast(progress);
    while (entries.size() > limit) {
      entries.removeFirst();
    }
  }

  public synchronized List<StreamingQueryProgress> all() {
    return List.copyOf(entries);
  }

  public synchronized Optional<StreamingQueryProgress> last() {
    return Optional.ofNullable(entries.peekLast());
  }
}

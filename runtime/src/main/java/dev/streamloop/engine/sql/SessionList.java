package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The open sessions of one key, ordered by start, as the state store keeps them: one flat array of
 * {@code start, end, accumulator slots...} per session, one after the other. Sessions that overlap
 * or touch (a start at or before another's end) are one session, as Spark merges them.
 */
final class SessionList implements Iterable<SessionList.Session> {
  /** One session: {@code [start, end)} in epoch milliseconds and its aggregates' array. */
  record Session(long start, long end, Object[] acc) {}

  private final List<Session> sessions;

  private SessionList(List<Session> sessions) {
    this.sessions = sessions;
  }

  /** The sessions a state value holds (none for null), each with {@code slots} slots. */
  static SessionList decode(Object[] value, int slots) {
    List<Session> sessions = new ArrayList<>();
    if (value != null) {
      for (int at = 0; at < value.length; at += 2 + slots) {
        Object[] acc = new Object[slots];
        System.arraycopy(value, at + 2, acc, 0, slots);
        sessions.add(new Session((Long) value[at], (Long) value[at + 1], acc));
      }
    }
    return new SessionList(sessions);
  }

  /** The state value of these sessions; null when there are none. */
  Object[] encode(int slots) {
    if (sessions.isEmpty()) {
      return null;
    }
    Object[] value = new Object[sessions.size() * (2 + slots)];
    int at = 0;
    for (Session session : sessions) {
      value[at] = session.start();
      value[at + 1] = session.end();
      System.arraycopy(session.acc(), 0, value, at + 2, slots);
      at += 2 + slots;
    }
    return value;
  }

  /**
   * Adds a session {@code [start, end)} with its aggregates, merged with every session it overlaps
   * or touches (whose aggregates {@code functions} merge into its own).
   */
  void add(long start, long end, Object[] acc, AggregateFunctions functions) {
    long mergedStart = start;
    long mergedEnd = end;
    int at = 0;
    Iterator<Session> each = sessions.iterator();
    while (each.hasNext()) {
      Session other = each.next();
      if (other.start() <= mergedEnd && mergedStart <= other.end()) {
        functions.merge(acc, other.acc());
        mergedStart = Math.min(mergedStart, other.start());
        mergedEnd = Math.max(mergedEnd, other.end());
        each.remove();
      } else if (other.start() < mergedStart) {
        at++;
      }
    }
    sessions.add(at, new Session(mergedStart, mergedEnd, acc));
  }

  /** Removes and returns the sessions that end at or before {@code watermarkMs}. */
  List<Session> removeClosed(long watermarkMs) {
    List<Session> closed = new ArrayList<>();
    sessions.removeIf(
        session -> {
          if (session.end() <= watermarkMs) {
            closed.add(session);
            return true;
          }
          return false;
        });
    return closed;
  }

  @Override
  public Iterator<Session> iterator() {
    return sessions.iterator();
  }
}

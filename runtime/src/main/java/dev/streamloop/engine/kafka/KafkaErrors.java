package dev.streamloop.engine.kafka;

import dev.streamloop.engine.UnavailableException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Which Kafka client failures mean "the brokers are unavailable" (the loop retries them) and which
 * "the brokers refuse us" (the setup must change).
 */
public final class KafkaErrors {
  private KafkaErrors() {}

  /** True when {@code e} or a cause is one Kafka calls retriable (timeouts, lost leaders). */
  public static boolean isUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when {@code e} or a cause says the brokers refused the client (authentication, ACLs):
   * retrying cannot help, the credentials or the ACLs must change.
   */
  public static boolean isDenied(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
        return true;
      }
    }
    return false;
  }

  /** {@code e} as an {@link UnavailableException} when it is one, else {@code e} itself. */
  public static RuntimeException classify(String what, RuntimeException e) {
    return isUnavailable(e) ? new UnavailableException(what + ": " + e.getMessage(), e) : e;
  }
}

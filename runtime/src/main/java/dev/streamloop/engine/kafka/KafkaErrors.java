package dev.streamloop.engine.kafka;

import dev.streamloop.engine.UnavailableException;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
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

  /**
   * Makes a Kafka client. Bootstrap servers that do not resolve (a broker's Service not created
   * yet, a DNS outage) make the client's constructor fail: that is an unavailable service, retried
   * like an unreachable broker, not a broken query. {@code what} names the client and its servers.
   */
  public static <T> T create(String what, Supplier<T> client) {
    try {
      return client.get();
    } catch (KafkaException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConfigException && String.valueOf(t.getMessage()).contains("resolvable")
            || t instanceof java.net.UnknownHostException) {
          throw new UnavailableException(
              what + ": no bootstrap server resolves (" + t.getMessage() + ")", e);
        }
      }
      throw e;
    }
  }

  /** {@code e} as an {@link UnavailableException} when it is one, else {@code e} itself. */
  public static RuntimeException classify(String what, RuntimeException e) {
    return isUnavailable(e) ? new UnavailableException(what + ": " + e.getMessage(), e) : e;
  }
}

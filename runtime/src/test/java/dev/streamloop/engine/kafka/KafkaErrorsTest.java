package dev.streamloop.engine.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which client failures the loop retries and which stop the runner for a setup change. */
class KafkaErrorsTest {
  @Test
  void refusalsAreDeniedTimeoutsUnavailableEvenWhenWrapped() {
    Exception acl = new KafkaException("wrapped", new TransactionalIdAuthorizationException("no"));
    Exception login = new SaslAuthenticationException("bad password");
    Exception timeout = new KafkaException("wrapped", new TimeoutException("no answer"));

    assertThat(KafkaErrors.isDenied(acl)).isTrue();
    assertThat(KafkaErrors.isDenied(login)).isTrue();
    assertThat(KafkaErrors.isDenied(timeout)).isFalse();
    assertThat(KafkaErrors.isUnavailable(timeout)).isTrue();
    assertThat(KafkaErrors.isUnavailable(acl)).isFalse();
  }
}

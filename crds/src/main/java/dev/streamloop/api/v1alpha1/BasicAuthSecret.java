package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A user name and password from one Secret in the query's namespace (for example of type
 * kubernetes.io/basic-auth).
 *
 * @param secretName The Secret's name.
 * @param usernameKey The key that holds the user name.
 * @param passwordKey The key that holds the password.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BasicAuthSecret(
    @Required @Pattern(Formats.OBJECT_NAME) String secretName,
    @Default("username") @Pattern(Formats.DATA_KEY) String usernameKey,
    @Default("password") @Pattern(Formats.DATA_KEY) String passwordKey) {
  /**
   * The user name's key, defaulted here too: the API server fills in the schema's default, but a
   * document read from a file (the runner on a laptop, tests) has none.
   */
  @JsonIgnore
  public String usernameKeyOrDefault() {
    return usernameKey != null ? usernameKey : "username";
  }

  /** The password's key, defaulted as {@link #usernameKeyOrDefault()}. */
  @JsonIgnore
  public String passwordKeyOrDefault() {
    return passwordKey != null ? passwordKey : "password";
  }
}

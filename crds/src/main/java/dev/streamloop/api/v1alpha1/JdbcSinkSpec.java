package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Write rows to a PostgreSQL table in one transaction per batch, with the batch id recorded in the
 * same transaction so that a re-run batch is skipped. Append inserts; update upserts on keyColumns;
 * complete replaces the table's contents. The table and its columns are checked when the runner
 * starts.
 *
 * @param url The JDBC URL, such as jdbc:postgresql://db:5432/analytics. It may carry the driver's
 *     tuning parameters (currentSchema, targetServerType, prepareThreshold, ...), but none that
 *     would override credentials, sslMode or caCertificate (user, password, ssl*) or load code or
 *     files (socketFactory, authenticationPluginClassName, service, logger*): set those fields.
 * @param table The target table, optionally schema-qualified (analytics.views).
 * @param keyColumns The columns that identify a row, for upserts in update mode.
 * @param credentials The Secret with the database user name and password.
 * @param sslMode PostgreSQL's sslmode.
 * @param caCertificate The CA certificate (PEM) for sslMode verify-ca and verify-full.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JdbcSinkSpec(
    @Required
        @Pattern("^jdbc:postgresql://.+")
        @Size(max = 2048)
        @ValidationRule(
            value =
                "!self.matches('[?&](user|password|ssl[A-Za-z]*|socketFactory[A-Za-z]*"
                    + "|authenticationPluginClassName|gsslib|jaas[A-Za-z]*|kerberosServerName"
                    + "|sspiServiceClass|useSpnego|service|logger[A-Za-z]*)=')"
                    + " && !self.matches('^jdbc:postgresql://[^/?]*@')",
            message =
                "the URL must not set user, password, ssl* settings, or parameters that load code"
                    + " or files (socketFactory, authenticationPluginClassName, service, logger*):"
                    + " they would override credentials, sslMode and caCertificate; set those"
                    + " fields instead",
            reason = "FieldValueForbidden")
        String url,
    @Required @Pattern("^[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?$") @Size(max = 127)
        String table,
    @Size(min = 1, max = 32) List<@Pattern("^[A-Za-z_][A-Za-z0-9_$]{0,62}$") String> keyColumns,
    @Required BasicAuthSecret credentials,
    @Default("prefer") SslMode sslMode,
    SecretKeySelector caCertificate) {

  /** PostgreSQL's sslmode values. */
  public enum SslMode {
    @JsonProperty("disable")
    DISABLE,
    @JsonProperty("prefer")
    PREFER,
    @JsonProperty("require")
    REQUIRE,
    @JsonProperty("verify-ca")
    VERIFY_CA,
    @JsonProperty("verify-full")
    VERIFY_FULL
  }
}

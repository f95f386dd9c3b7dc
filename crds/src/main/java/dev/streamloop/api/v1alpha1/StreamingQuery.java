package dev.streamloop.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A streaming query that Streamloop runs as a Spark-style micro-batch loop: it reads new data from
 * its sources, runs its SQL over it, writes the result to its sinks and checkpoints, batch after
 * batch.
 */
@Group(StreamingQuery.GROUP)
@Version(StreamingQuery.VERSION)
@Kind("StreamingQuery")
@Plural("streamingqueries")
@Singular("streamingquery")
@ShortNames("sq")
@Categories("streamloop")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    getDescription = "Pending, Running, Idle, Succeeded, Failed or Suspended.")
@AdditionalPrinterColumn(
    name = "Trigger",
    jsonPath = ".status.trigger",
    getDescription = "The trigger in words, such as ProcessingTime(30s).")
@AdditionalPrinterColumn(
    name = "Mode",
    jsonPath = ".spec.outputMode",
    getDescription = "The output mode: append, update or complete.")
@AdditionalPrinterColumn(
    name = "Batch",
    jsonPath = ".status.progress.0.batchId",
    type = Type.INTEGER,
    getDescription = "Id of the last batch of replica 0.")
@AdditionalPrinterColumn(
    name = "Lag",
    jsonPath = ".status.lag.seconds",
    type = Type.INTEGER,
    getDescription = "Seconds the output lags behind the input (see status.lag.basis).")
@AdditionalPrinterColumn(
    name = "Fresh",
    jsonPath = ".status.conditions[?(@.type==\"Fresh\")].status",
    getDescription = "Whether the lag is within spec.freshness.maxLag.")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = Type.DATE,
    getDescription = "Time since the query was created.")
@AdditionalPrinterColumn(
    name = "Input/s",
    jsonPath = ".status.progress.0.inputRowsPerSecond",
    type = Type.NUMBER,
    priority = 1,
    getDescription = "Rows per second arriving at replica 0 during its last batch.")
@AdditionalPrinterColumn(
    name = "Processed/s",
    jsonPath = ".status.progress.0.processedRowsPerSecond",
    type = Type.NUMBER,
    priority = 1,
    getDescription = "Rows per second replica 0 processed during its last batch.")
@AdditionalPrinterColumn(
    name = "Behind",
    jsonPath = ".status.lag.recordsBehind",
    type = Type.INTEGER,
    priority = 1,
    getDescription = "Kafka records not yet read, over all runners.")
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    priority = 1,
    getDescription = "The Ready condition's message.")
@ValidationRule(
    value = "size(self.metadata.name) <= 45",
    message =
        "metadata.name must be at most 45 characters: runner and run names are derived from it"
            + " (<name>-runner-<n>, <name>-<run>) and must fit Kubernetes' 63-character limit;"
            + " choose a shorter name",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS label (lower-case letters, digits and '-'): the runner pods"
            + " are named after it",
    reason = "FieldValueInvalid")
public class StreamingQuery extends CustomResource<StreamingQuerySpec, StreamingQueryStatus>
    implements Namespaced {

  public static final String GROUP = "streamloop.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "StreamingQuery";
  public static final String CRD_NAME = "streamingqueries." + GROUP;
}

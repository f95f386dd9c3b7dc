package dev.streamloop.operator;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * What exists of a query's runners when a reconcile starts.
 *
 * @param statefulSet The runners of a continuous query, or null.
 * @param jobs The Jobs of available-now runs.
 */
public record Observed(StatefulSet statefulSet, List<Job> jobs) {}

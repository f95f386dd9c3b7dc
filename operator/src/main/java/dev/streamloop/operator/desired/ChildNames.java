package dev.streamloop.operator.desired;

/**
 * Names of a query's children, derived only from the query's name (at most 45 characters, a CRD
 * rule), so that a restarted operator finds what an earlier one created.
 */
public final class ChildNames {
  private ChildNames() {}

  /** The StatefulSet, ServiceAccount, Role and RoleBinding of the runners. */
  public static String runner(String query) {
    return query + "-runner";
  }

  /** The immutable ConfigMap with the spec snapshot of one generation. */
  public static String snapshot(String query, long generation) {
    return query + "-spec-" + generation;
  }

  /** Replica {@code index}'s checkpoint claim: the name a StatefulSet's claim template gives it. */
  public static String checkpointClaim(String query, int index) {
    return CHECKPOINT_VOLUME + "-" + runner(query) + "-" + index;
  }

  /** The Job of run {@code run} for replica {@code index} (one Job per replica: see RunnerJob). */
  public static String runJob(String query, long run, int index) {
    return query + "-run-" + run + "-" + index;
  }

  /** The volume (and claim template) that holds a runner's checkpoint. */
  public static final String CHECKPOINT_VOLUME = "checkpoint";
}

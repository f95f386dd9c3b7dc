package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;

/**
 * The runners' identity: a ServiceAccount per query whose Role lets it read only its own
 * StreamingQuery and patch only its status (the runner's progress, docs/architecture.md, runner
 * contract), nothing else.
 */
public final class RunnerAccess {
  public static final String COMPONENT = "runner";

  private RunnerAccess() {}

  public static ServiceAccount serviceAccount(StreamingQuery query) {
    return new ServiceAccountBuilder()
        .withMetadata(Owners.meta(query, name(query), COMPONENT))
        .build();
  }

  public static Role role(StreamingQuery query) {
    String self = query.getMetadata().getName();
    return new RoleBuilder()
        .withMetadata(Owners.meta(query, name(query), COMPONENT))
        // the runner reads its spec from the mounted snapshot and only patches its progress in
        // (the e2e suite's audit log shows it needs nothing else)
        .withRules(
            new PolicyRuleBuilder()
                .withApiGroups(StreamingQuery.GROUP)
                .withResources("streamingqueries/status")
                .withResourceNames(self)
                .withVerbs("patch")
                .build())
        .build();
  }

  public static RoleBinding roleBinding(StreamingQuery query) {
    return new RoleBindingBuilder()
        .withMetadata(Owners.meta(query, name(query), COMPONENT))
        .withRoleRef(
            new RoleRefBuilder()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName(name(query))
                .build())
        .withSubjects(
            List.of(
                new SubjectBuilder()
                    .withKind("ServiceAccount")
                    .withName(name(query))
                    .withNamespace(query.getMetadata().getNamespace())
                    .build()))
        .build();
  }

  /** A user-chosen ServiceAccount (spec.runner.serviceAccountName) replaces ours. */
  public static String serviceAccountName(StreamingQuery query) {
    var runner = query.getSpec().runner();
    return runner != null && runner.serviceAccountName() != null
        ? runner.serviceAccountName()
        : name(query);
  }

  private static String name(StreamingQuery query) {
    return ChildNames.runner(query.getMetadata().getName());
  }
}

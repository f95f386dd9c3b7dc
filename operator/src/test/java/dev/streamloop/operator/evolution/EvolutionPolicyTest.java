package dev.streamloop.operator.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.PendingChange;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.operator.Queries;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvolutionPolicyTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final List<String> AGGREGATION =
      List.of(
          "spec.query: the aggregation changed: the state was kept for A and the query now has B");
  private static final List<String> SOURCES =
      List.of("spec.sources: source clicks is not in the checkpoint", AGGREGATION.get(0));

  private static StreamingQuery withPolicy(String evolution, long generation) {
    StreamingQuery query =
        YAML.unmarshal(
            Queries.CONTINUOUS.replace(
                "  badRecords:", "  evolution: " + evolution + "\n  badRecords:"),
            StreamingQuery.class);
    query.getMetadata().setGeneration(generation);
    return query;
  }

  private static void pending(StreamingQuery query, long since, List<String> reasons) {
    query.setStatus(
        new StreamingQueryStatus(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new PendingChange(since, "StateIncompatible", reasons, "AwaitApproval"),
            null,
            null));
  }

  @Test
  void aCompatibleVerdictRollsOutWithoutAReset() {
    assertThat(EvolutionPolicy.decide(withPolicy("{onIncompatible: Reject}", 4), List.of()))
        .isEqualTo(ChangeDecision.ROLL_OUT);
  }

  @Test
  void rejectHoldsTheGenerationAndSaysHowToGoOn() {
    ChangeDecision decision = EvolutionPolicy.decide(withPolicy("{}", 4), AGGREGATION);

    assertThat(decision.holds()).isTrue();
    assertThat(decision.reason()).isEqualTo("IncompatibleChange");
    assertThat(decision.pending())
        .isEqualTo(new PendingChange(4L, "StateIncompatible", AGGREGATION, "Reject"));
    assertThat(decision.message()).contains("the aggregation changed", "ResetState", "resetNonce");
  }

  @Test
  void resetStateServesAStateOnlyVerdictAndRefusesOneAboutSources() {
    ChangeDecision state =
        EvolutionPolicy.decide(withPolicy("{onIncompatible: ResetState}", 4), AGGREGATION);
    ChangeDecision sources =
        EvolutionPolicy.decide(withPolicy("{onIncompatible: ResetState}", 4), SOURCES);

    assertThat(state.holds()).isFalse();
    assertThat(state.reset())
        .isEqualTo(new CheckpointReset(4L, CheckpointReset.Scope.State, AGGREGATION));
    assertThat(sources.holds()).isTrue();
    assertThat(sources.message()).contains("use ResetAll");
  }

  @Test
  void resetAllServesAnyVerdict() {
    ChangeDecision decision =
        EvolutionPolicy.decide(withPolicy("{onIncompatible: ResetAll}", 4), SOURCES);

    assertThat(decision.reset())
        .isEqualTo(new CheckpointReset(4L, CheckpointReset.Scope.All, SOURCES));
  }

  @Test
  void anApprovalOfThePendingGenerationHoldsForTheGenerationItCreates() {
    ChangeDecision waiting =
        EvolutionPolicy.decide(withPolicy("{onIncompatible: AwaitApproval}", 4), AGGREGATION);
    assertThat(waiting.reason()).isEqualTo("AwaitingApproval");
    assertThat(waiting.message()).contains("set spec.evolution.approvedGeneration to 4");

    // the user sets approvedGeneration: 4, which makes generation 5 with the same verdict
    StreamingQuery approved =
        withPolicy("{onIncompatible: AwaitApproval, approvedGeneration: 4}", 5);
    pending(approved, 4, AGGREGATION);
    ChangeDecision decision = EvolutionPolicy.decide(approved, AGGREGATION);

    assertThat(decision.holds()).isFalse();
    assertThat(decision.reset())
        .isEqualTo(new CheckpointReset(5L, CheckpointReset.Scope.State, AGGREGATION));
  }

  @Test
  void anApprovalDoesNotCoverALaterEditWithAnotherVerdict() {
    StreamingQuery edited = withPolicy("{onIncompatible: AwaitApproval, approvedGeneration: 4}", 6);
    pending(edited, 4, AGGREGATION);

    ChangeDecision decision = EvolutionPolicy.decide(edited, SOURCES);

    assertThat(decision.holds()).isTrue();
    assertThat(decision.pending().generation()).isEqualTo(6L);
    assertThat(decision.message()).contains("an empty checkpoint", "approvedGeneration to 6");
  }
}

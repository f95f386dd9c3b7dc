package main

import (
	"strings"
	"testing"
	"time"
)

const recorded = `{
 "apiVersion": "streamloop.dev/v1alpha1", "kind": "StreamingQuery",
 "metadata": {"name": "clicks", "namespace": "team-a", "generation": 4},
 "spec": {"outputMode": "append", "freshness": {"maxLag": "1m"}, "evolution": {"onIncompatible": "AwaitApproval"}},
 "status": {
  "observedGeneration": 4, "activeGeneration": 3, "phase": "Running", "trigger": "ProcessingTime(5s)",
  "conditions": [{"type": "Fresh", "status": "False", "reason": "LagAboveMaxLag",
    "lastTransitionTime": "2026-11-23T09:58:00Z", "message": "lag 120s (age of the oldest unprocessed input), above maxLag 1m"}],
  "lag": {"seconds": 120, "basis": "OldestUnprocessedInput", "recordsBehind": 500,
    "sources": [{"description": "KafkaV2[Subscribe[clicks]]", "recordsBehind": 500, "oldestUnprocessedTime": "2026-11-23T09:58:00Z"}]},
  "progress": {"1": {"batchId": 7, "numInputRows": 10, "batchDuration": 15, "timestamp": "2026-11-23T09:59:58.000Z"},
    "0": {"batchId": 9, "numInputRows": 40, "batchDuration": 250, "eventTime": {"watermark": "2026-11-23T09:59:00.000Z"}}},
  "restarts": {"count": 1, "total": 3, "lastFailureReason": "Error", "lastFailureMessage": "exit code 1: boom"},
  "pendingChange": {"generation": 4, "verdict": "ResetState", "reasons": ["the aggregation's key changed"], "policy": "AwaitApproval"}
 }}`

func TestStatusSummarisesLagRunnersAndThePendingChange(t *testing.T) {
	query, err := decode([]byte(recorded))
	if err != nil {
		t.Fatal(err)
	}
	got := summary(query, time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	for _, want := range []string{
		"StreamingQuery team-a/clicks  generation 4 (observed 4, running 3)",
		"Fresh  False   LagAboveMaxLag  2m0s",
		"Lag: 120s (age of the oldest unprocessed input); maxLag 1m",
		"KafkaV2[Subscribe[clicks]]  500",
		"Failures: 1 in a row, 3 in all",
		"Pending change: generation 4 waits (ResetState, policy AwaitApproval)",
		"approve it: kubectl streamloop approve clicks -n team-a",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "  0 ") > strings.Index(got, "  1 ") {
		t.Errorf("runners not in replica order:\n%s", got)
	}
}

func TestApproveSetsTheApprovedGenerationOrSaysWhyNot(t *testing.T) {
	query, _ := decode([]byte(recorded))
	patch, err := approval(query)
	if err != nil || patch != `{"spec":{"evolution":{"approvedGeneration":4}}}` {
		t.Errorf("approval = %s, %v", patch, err)
	}
	delete(query["status"].(map[string]interface{}), "pendingChange")
	if _, err := approval(query); err == nil || !strings.Contains(err.Error(), "no change is pending") {
		t.Errorf("approval without a pending change: %v", err)
	}
}

func TestFlagsGoToKubectlAndUnknownOnesAreRefused(t *testing.T) {
	command, name, global, logFlags, err := parse([]string{"logs", "-n", "team-a", "clicks", "-f", "--context=prod"})
	if err != nil || command != "logs" || name != "clicks" ||
		strings.Join(global, " ") != "-n team-a --context=prod" || strings.Join(logFlags, " ") != "-f" {
		t.Errorf("parse = %s %s %v %v %v", command, name, global, logFlags, err)
	}
	if _, _, _, _, err := parse([]string{"status", "clicks", "--bogus"}); err == nil {
		t.Error("an unknown flag was accepted")
	}
	if _, _, _, _, err := parse([]string{"status", "clicks", "-f"}); err == nil {
		t.Error("-f was accepted outside logs")
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

func decode(data []byte) (map[string]interface{}, error) {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var object map[string]interface{}
	if err := decoder.Decode(&object); err != nil {
		return nil, fmt.Errorf("kubectl streamloop: kubectl returned no StreamingQuery: %v", err)
	}
	return object, nil
}

// field follows a path of keys through nested objects; nil when any is missing.
func field(object interface{}, path ...string) interface{} {
	for _, key := range path {
		m, ok := object.(map[string]interface{})
		if !ok {
			return nil
		}
		object = m[key]
	}
	return object
}

// text is a field as text, "-" when absent.
func text(object interface{}, path ...string) string {
	value := field(object, path...)
	if value == nil {
		return "-"
	}
	return fmt.Sprint(value)
}

func list(object interface{}, path ...string) []interface{} {
	items, _ := field(object, path...).([]interface{})
	return items
}

// approval is the merge patch that approves the pending change.
func approval(query map[string]interface{}) (string, error) {
	generation := field(query, "status", "pendingChange", "generation")
	if generation == nil {
		return "", fmt.Errorf("no change is pending (status.pendingChange is empty)")
	}
	policy := text(query, "spec", "evolution", "onIncompatible")
	if policy != "AwaitApproval" {
		return "", fmt.Errorf("spec.evolution.onIncompatible is %s: approvals apply to AwaitApproval only;"+
			" set it to AwaitApproval, or ResetState/ResetAll to roll out with a reset", policy)
	}
	return fmt.Sprintf(`{"spec":{"evolution":{"approvedGeneration":%v}}}`, generation), nil
}

// summary is what status prints.
func summary(query map[string]interface{}, now time.Time) string {
	var out strings.Builder
	fmt.Fprintf(&out, "StreamingQuery %s/%s  generation %s (observed %s, running %s)\n",
		text(query, "metadata", "namespace"), text(query, "metadata", "name"),
		text(query, "metadata", "generation"), text(query, "status", "observedGeneration"),
		text(query, "status", "activeGeneration"))
	fmt.Fprintf(&out, "Phase:    %s    Trigger: %s    Output mode: %s\n",
		text(query, "status", "phase"), text(query, "status", "trigger"), text(query, "spec", "outputMode"))
	fmt.Fprintf(&out, "Query id: %s    Run id: %s\n", text(query, "status", "queryId"), text(query, "status", "runId"))
	conditions(&out, query, now)
	lag(&out, query)
	runners(&out, query)
	failures(&out, query)
	pending(&out, query)
	runs(&out, query)
	return out.String()
}

func table(out *strings.Builder, header string, rows [][]string) {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "  "+strings.ReplaceAll(header, " ", "\t"))
	for _, row := range rows {
		fmt.Fprintln(w, "  "+strings.Join(row, "\t"))
	}
	w.Flush()
}

func conditions(out *strings.Builder, query map[string]interface{}, now time.Time) {
	var rows [][]string
	for _, c := range list(query, "status", "conditions") {
		rows = append(rows, []string{text(c, "type"), text(c, "status"), text(c, "reason"),
			age(text(c, "lastTransitionTime"), now), text(c, "message")})
	}
	out.WriteString("\nConditions:\n")
	if len(rows) == 0 {
		out.WriteString("  none yet: the operator has not looked at this query\n")
		return
	}
	table(out, "TYPE STATUS REASON SINCE MESSAGE", rows)
}

func age(timestamp string, now time.Time) string {
	then, err := time.Parse(time.RFC3339, timestamp)
	if err != nil {
		return "-"
	}
	return now.Sub(then).Truncate(time.Second).String()
}

func lag(out *strings.Builder, query map[string]interface{}) {
	lag := field(query, "status", "lag")
	maxLag := text(query, "spec", "freshness", "maxLag")
	if lag == nil {
		fmt.Fprintf(out, "\nLag: not measured yet (maxLag %s)\n", maxLag)
		return
	}
	basis := "age of the oldest unprocessed input"
	if text(lag, "basis") == "Watermark" {
		basis = "time since the watermark"
	}
	fmt.Fprintf(out, "\nLag: %ss (%s); maxLag %s\n", text(lag, "seconds"), basis, maxLag)
	var rows [][]string
	for _, s := range list(lag, "sources") {
		rows = append(rows, []string{text(s, "description"), text(s, "recordsBehind"),
			text(s, "filesBehind"), text(s, "bytesBehind"), text(s, "oldestUnprocessedTime")})
	}
	table(out, "SOURCE RECORDS FILES BYTES OLDEST-UNPROCESSED", rows)
}

func runners(out *strings.Builder, query map[string]interface{}) {
	progress, _ := field(query, "status", "progress").(map[string]interface{})
	out.WriteString("\nRunners:\n")
	if len(progress) == 0 {
		out.WriteString("  no progress reported yet\n")
		return
	}
	replicas := make([]string, 0, len(progress))
	for replica := range progress {
		replicas = append(replicas, replica)
	}
	sort.Strings(replicas)
	var rows [][]string
	for _, replica := range replicas {
		p := progress[replica]
		rows = append(rows, []string{replica, text(p, "batchId"), text(p, "numInputRows"),
			text(p, "inputRowsPerSecond"), text(p, "processedRowsPerSecond"),
			text(p, "batchDuration") + "ms", text(p, "eventTime", "watermark"), text(p, "timestamp"),
			text(p, "message")})
	}
	table(out, "REPLICA BATCH ROWS INPUT/S PROCESSED/S DURATION WATERMARK STARTED MESSAGE", rows)
}

func failures(out *strings.Builder, query map[string]interface{}) {
	restarts := field(query, "status", "restarts")
	if restarts == nil {
		return
	}
	fmt.Fprintf(out, "\nFailures: %s in a row, %s in all; last at %s: %s (%s)\n",
		text(restarts, "count"), text(restarts, "total"), text(restarts, "lastFailureTime"),
		text(restarts, "lastFailureReason"), text(restarts, "lastFailureMessage"))
	if next := field(restarts, "nextRestartTime"); next != nil {
		fmt.Fprintf(out, "  the runners start again at %v\n", next)
	}
}

func pending(out *strings.Builder, query map[string]interface{}) {
	change := field(query, "status", "pendingChange")
	if change == nil {
		return
	}
	var reasons []string
	for _, r := range list(change, "reasons") {
		reasons = append(reasons, fmt.Sprint(r))
	}
	fmt.Fprintf(out, "\nPending change: generation %s waits (%s, policy %s)\n",
		text(change, "generation"), text(change, "verdict"), text(change, "policy"))
	for _, r := range reasons {
		fmt.Fprintf(out, "  - %s\n", r)
	}
	if text(query, "spec", "evolution", "onIncompatible") == "AwaitApproval" {
		fmt.Fprintf(out, "  approve it: kubectl streamloop approve %s -n %s\n",
			text(query, "metadata", "name"), text(query, "metadata", "namespace"))
	}
}

func runs(out *strings.Builder, query map[string]interface{}) {
	all := list(query, "status", "runs")
	if len(all) == 0 {
		return
	}
	if len(all) > 5 {
		all = all[len(all)-5:]
	}
	var rows [][]string
	for _, r := range all {
		rows = append(rows, []string{text(r, "name"), text(r, "result"), text(r, "reason"),
			text(r, "startTime"), text(r, "completionTime"), text(r, "batches"), text(r, "numInputRows"),
			text(r, "message")})
	}
	out.WriteString("\nLast runs:\n")
	table(out, "RUN RESULT REASON STARTED COMPLETED BATCHES ROWS MESSAGE", rows)
	if next := field(query, "status", "nextScheduleTime"); next != nil {
		fmt.Fprintf(out, "  next run due at %v\n", next)
	}
}

// Package kstatus checks that the statuses the operator writes read as the intended health in
// kstatus (sigs.k8s.io/cli-utils), the library Flux's health checks and kpt use on any resource.
// The statuses are rendered by the operator's own status function (KstatusHealthTest, in Java)
// into the directory named by STREAMLOOP_STATUSES, one StreamingQuery per file.
package kstatus

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

// The health each recorded phase must have, and a word its message must contain.
var expected = map[string]struct {
	status  status.Status
	message string
}{
	"pending.yaml":                   {status.InProgressStatus, "starting 2 runner(s)"},
	"running.yaml":                   {status.CurrentStatus, ""},
	"rolling-out.yaml":               {status.InProgressStatus, "on generation 3"},
	"validating-spec.yaml":           {status.InProgressStatus, "checking generation"},
	"suspended.yaml":                 {status.CurrentStatus, ""},
	"suspending.yaml":                {status.InProgressStatus, "finishing their batch"},
	"backing-off.yaml":               {status.InProgressStatus, "restarting at"},
	"failed.yaml":                    {status.FailedStatus, "exit code 1"},
	"rejected-by-runner.yaml":        {status.FailedStatus, "exit code 2"},
	"invalid-spec.yaml":              {status.FailedStatus, "is invalid"},
	"awaiting-approval.yaml":         {status.FailedStatus, "schema changed"},
	"stale-observed-generation.yaml": {status.InProgressStatus, "latest observed generation is 3"},
	"available-now-running.yaml":     {status.InProgressStatus, "runner Job(s) done"},
	"available-now-succeeded.yaml":   {status.CurrentStatus, ""},
	"available-now-failed.yaml":      {status.FailedStatus, "failed"},
	"scheduled-idle.yaml":            {status.CurrentStatus, ""},
	"scheduled-run-failed.yaml":      {status.FailedStatus, "failed"},
	"lag-above-max-lag.yaml":         {status.CurrentStatus, ""},
}

func TestEveryPhaseReadsAsItsHealth(t *testing.T) {
	files := recorded(t)
	seen := map[string]bool{}
	for _, file := range files {
		name := filepath.Base(file)
		seen[name] = true
		want, ok := expected[name]
		if !ok {
			t.Errorf("%s: no expected health for this recorded status; add it to the table", name)
			continue
		}
		object := read(t, file)
		result, err := status.Compute(object)
		if err != nil {
			t.Fatalf("%s: kstatus: %v", name, err)
		}
		if result.Status != want.status {
			t.Errorf("%s: kstatus says %s (%q), want %s", name, result.Status, result.Message, want.status)
		}
		if !strings.Contains(result.Message, want.message) {
			t.Errorf("%s: message %q does not contain %q", name, result.Message, want.message)
		}
		t.Logf("%-32s %-10s %s", name, result.Status, result.Message)
	}
	var missing []string
	for name := range expected {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("phases without a recorded status: %v", missing)
	}
}

// recorded lists the statuses KstatusHealthTest rendered.
func recorded(t *testing.T) []string {
	dir := os.Getenv("STREAMLOOP_STATUSES")
	if dir == "" {
		t.Fatal("STREAMLOOP_STATUSES must name the directory of recorded statuses (KstatusHealthTest sets it)")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded statuses in %s: %v", dir, err)
	}
	return files
}

// read parses a recorded StreamingQuery as an API client reads it: JSON numbers become int64, as
// kstatus expects.
func read(t *testing.T, file string) *unstructured.Unstructured {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data, err = yaml.YAMLToJSON(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	object := &unstructured.Unstructured{}
	if err := object.UnmarshalJSON(data); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return object
}

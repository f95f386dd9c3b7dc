package kstatus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// The Argo CD health each recorded phase must have with manifests/argocd/health.lua, run as Argo
// CD runs it: gopher-lua, the object as the global obj, the returned table's status and message.
var argoExpected = map[string]string{
	"pending.yaml":                   "Progressing",
	"running.yaml":                   "Healthy",
	"rolling-out.yaml":               "Progressing",
	"validating-spec.yaml":           "Progressing",
	"suspended.yaml":                 "Suspended",
	"suspending.yaml":                "Suspended",
	"backing-off.yaml":               "Degraded",
	"failed.yaml":                    "Degraded",
	"rejected-by-runner.yaml":        "Degraded",
	"invalid-spec.yaml":              "Degraded",
	"awaiting-approval.yaml":         "Degraded",
	"stale-observed-generation.yaml": "Progressing",
	"available-now-running.yaml":     "Progressing",
	"available-now-succeeded.yaml":   "Healthy",
	"available-now-failed.yaml":      "Degraded",
	"scheduled-idle.yaml":            "Healthy",
	"scheduled-run-failed.yaml":      "Degraded",
	"lag-above-max-lag.yaml":         "Degraded",
}

func TestArgoCdHealthOfEveryPhase(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "..", "manifests", "argocd", "health.lua"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range recorded(t) {
		name := filepath.Base(file)
		want, ok := argoExpected[name]
		if !ok {
			t.Errorf("%s: no expected Argo CD health; add it to the table", name)
			continue
		}
		state := lua.NewState()
		state.SetGlobal("obj", toLua(state, read(t, file).Object))
		if err := state.DoString(string(script)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		result, ok := state.Get(-1).(*lua.LTable)
		if !ok {
			t.Fatalf("%s: the script returned %v, not a table", name, state.Get(-1))
		}
		status := result.RawGetString("status").String()
		message := result.RawGetString("message").String()
		state.Close()
		if status != want {
			t.Errorf("%s: Argo CD shows %s (%q), want %s", name, status, message, want)
		}
		if strings.TrimSpace(message) == "" && status != "Healthy" {
			t.Errorf("%s: %s without a message", name, status)
		}
		t.Logf("%-32s %-11s %s", name, status, message)
	}
}

// toLua converts decoded JSON into Lua values, as Argo CD hands an object to its scripts.
func toLua(state *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case map[string]interface{}:
		table := state.NewTable()
		for key, item := range v {
			table.RawSetString(key, toLua(state, item))
		}
		return table
	case []interface{}:
		table := state.NewTable()
		for _, item := range v {
			table.Append(toLua(state, item))
		}
		return table
	case string:
		return lua.LString(v)
	case bool:
		return lua.LBool(v)
	case int64:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	case nil:
		return lua.LNil
	}
	panic("unexpected JSON value")
}

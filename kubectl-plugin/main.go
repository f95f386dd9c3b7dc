// kubectl-streamloop is a kubectl plugin for StreamingQueries: put it on the PATH and run
// `kubectl streamloop status NAME`. It drives kubectl itself (found on the PATH, as kubectl runs
// its plugins), so the kubeconfig, context and namespace flags work as they do for kubectl.
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

const usage = `Usage: kubectl streamloop COMMAND NAME [flags]

Commands:
  status NAME     a readable summary: phase, conditions, lag, each runner's last batch,
                  failures, the pending change and the last runs
  run-now NAME    start an available-now run at once (annotates streamloop.dev/run-now)
  approve NAME    approve the pending change (sets spec.evolution.approvedGeneration)
  logs NAME       the logs of all the query's runners, each line prefixed with its pod
                  (-f/--follow to follow them, --since=DURATION, --tail=N)

Flags passed to kubectl: -n/--namespace, --context, --kubeconfig, --cluster, --user,
--as, --request-timeout.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	command, name, global, logFlags, err := parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "kubectl streamloop: %v\n\n%s", err, usage)
		return 2
	}
	k := kubectl{global: global, stderr: stderr}
	switch command {
	case "status":
		query, err := k.query(name)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprint(stdout, summary(query, time.Now()))
	case "run-now":
		stamp := fmt.Sprintf("streamloop.dev/run-now=%d", time.Now().Unix())
		return k.pass(stdout, "annotate", "streamingquery", name, stamp, "--overwrite")
	case "approve":
		query, err := k.query(name)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		patch, err := approval(query)
		if err != nil {
			fmt.Fprintf(stderr, "kubectl streamloop approve %s: %v\n", name, err)
			return 1
		}
		return k.pass(stdout, "patch", "streamingquery", name, "--type=merge", "-p", patch)
	case "logs":
		selector := "app.kubernetes.io/name=streamloop,app.kubernetes.io/component=runner," +
			"app.kubernetes.io/instance=" + name
		logArgs := append([]string{"logs", "-l", selector, "--prefix", "--max-log-requests=64"}, logFlags...)
		if !strings.Contains(strings.Join(logFlags, " "), "--tail=") {
			// with a selector kubectl shows 10 lines a pod unless told otherwise: show them all
			logArgs = append(logArgs, "--tail=-1")
		}
		return k.pass(stdout, logArgs...)
	default:
		fmt.Fprintf(stderr, "kubectl streamloop: unknown command %q\n\n%s", command, usage)
		return 2
	}
	return 0
}

// parse splits the arguments into the command, the query's name, kubectl's global flags and the
// logs command's own flags.
func parse(args []string) (command, name string, global, logFlags []string, err error) {
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "-h" || arg == "--help" || arg == "help":
			return "", "", nil, nil, fmt.Errorf("help")
		case arg == "-f" || arg == "--follow" || strings.HasPrefix(arg, "--since=") || strings.HasPrefix(arg, "--tail="):
			logFlags = append(logFlags, arg)
		case isGlobal(arg):
			if strings.Contains(arg, "=") || (strings.HasPrefix(arg, "-n") && len(arg) > 2) {
				global = append(global, arg)
			} else if i+1 < len(args) {
				global = append(global, arg, args[i+1])
				i++
			} else {
				return "", "", nil, nil, fmt.Errorf("%s needs a value", arg)
			}
		case strings.HasPrefix(arg, "-"):
			return "", "", nil, nil, fmt.Errorf("unknown flag %s", arg)
		default:
			positional = append(positional, arg)
		}
	}
	if len(positional) != 2 {
		return "", "", nil, nil, fmt.Errorf("expected a command and a StreamingQuery's name, got %q", positional)
	}
	if len(logFlags) > 0 && positional[0] != "logs" {
		return "", "", nil, nil, fmt.Errorf("%v apply to logs only", logFlags)
	}
	return positional[0], positional[1], global, logFlags, nil
}

func isGlobal(arg string) bool {
	for _, flag := range []string{"-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "--as", "--request-timeout"} {
		if arg == flag || strings.HasPrefix(arg, flag+"=") || (flag == "-n" && strings.HasPrefix(arg, "-n")) {
			return true
		}
	}
	return false
}

// kubectl runs the kubectl on the PATH with the user's global flags.
type kubectl struct {
	global []string
	stderr io.Writer
}

func (k kubectl) command(args ...string) *exec.Cmd {
	cmd := exec.Command("kubectl", append(append([]string{}, k.global...), args...)...)
	cmd.Stderr = k.stderr
	return cmd
}

// pass runs kubectl with its output going to the user; its exit code.
func (k kubectl) pass(stdout io.Writer, args ...string) int {
	cmd := k.command(args...)
	cmd.Stdout = stdout
	cmd.Stdin = os.Stdin
	if err := cmd.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode()
		}
		fmt.Fprintf(k.stderr, "kubectl streamloop: cannot run kubectl: %v\n", err)
		return 1
	}
	return 0
}

// query reads one StreamingQuery as JSON.
func (k kubectl) query(name string) (map[string]interface{}, error) {
	out, err := k.command("get", "streamingquery", name, "-o", "json").Output()
	if err != nil {
		return nil, fmt.Errorf("kubectl streamloop: cannot read StreamingQuery %s (kubectl said so above): %v", name, err)
	}
	return decode(out)
}

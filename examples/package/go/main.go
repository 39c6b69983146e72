// Command sinch-numbers-order runs orderProgram (program.go) through the Automation API as an
// inline program: one step per invocation, `sinch-numbers-order init|preview|up|refresh|destroy`.
//
// The stack lives in the current folder (or $SINCH_EXAMPLE_DIR): its Pulumi.yaml and
// Pulumi.<stack>.yaml, which `pulumi config set` fills. The backend and the passphrase come from
// the environment as for any Pulumi command (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE), and
// the engine finds the provider plugin `pulumi-resource-sinch` on PATH.
//
// Its last line is one JSON object: the step, whether it succeeded, each resource's operation and
// the stack outputs, a secret output shown as "[secret]".
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

const projectName = "sinch-numbers-order"

func main() {
	step := ""
	if len(os.Args) > 1 {
		step = os.Args[1]
	}
	ok, err := run(context.Background(), step)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func run(ctx context.Context, step string) (bool, error) {
	dir := os.Getenv("SINCH_EXAMPLE_DIR")
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return false, err
		}
	}
	stackName := os.Getenv("SINCH_EXAMPLE_STACK")
	if stackName == "" {
		stackName = "dev"
	}
	project := workspace.Project{
		Name:    tokens.PackageName(projectName),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
	}
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, projectName, orderProgram,
		auto.WorkDir(dir), auto.Project(project))
	if err != nil {
		return false, err
	}

	var lock sync.Mutex
	ops := map[string]string{}
	stream := make(chan events.EngineEvent)
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for event := range stream {
			var op, urn, kind string
			if pre := event.ResourcePreEvent; pre != nil {
				op, urn, kind = string(pre.Metadata.Op), pre.Metadata.URN, pre.Metadata.Type
			} else if done := event.ResOutputsEvent; done != nil {
				op, urn, kind = string(done.Metadata.Op), done.Metadata.URN, done.Metadata.Type
			}
			if urn != "" && !strings.HasPrefix(kind, "pulumi:") {
				lock.Lock()
				ops[urn[strings.LastIndex(urn, "::")+2:]] = op
				lock.Unlock()
			}
		}
	}()

	switch step {
	case "init":
		close(stream)
	case "preview":
		_, err = stack.Preview(ctx, optpreview.ProgressStreams(os.Stdout),
			optpreview.ErrorProgressStreams(os.Stderr), optpreview.EventStreams(stream))
	case "up":
		_, err = stack.Up(ctx, optup.ProgressStreams(os.Stdout),
			optup.ErrorProgressStreams(os.Stderr), optup.EventStreams(stream))
	case "refresh":
		_, err = stack.Refresh(ctx, optrefresh.ProgressStreams(os.Stdout),
			optrefresh.ErrorProgressStreams(os.Stderr), optrefresh.EventStreams(stream))
	case "destroy":
		_, err = stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout),
			optdestroy.ErrorProgressStreams(os.Stderr), optdestroy.EventStreams(stream))
	default:
		close(stream)
		return false, fmt.Errorf("unknown step %q: init, preview, up, refresh or destroy", step)
	}
	// The Automation API closes the stream once the engine's last event is read; a command that
	// failed before the engine started may never open it.
	select {
	case <-collected:
	case <-time.After(5 * time.Second):
	}
	ok := err == nil
	if !ok {
		// The CLI has printed why (its diagnostics, above); the error's first line says how it
		// ended, the rest repeats all it printed.
		fmt.Printf("%s failed: %s\n", step, strings.SplitN(err.Error(), "\n", 2)[0])
	}
	outputs := map[string]interface{}{}
	if step != "init" && step != "preview" {
		values, err := stack.Outputs(ctx)
		if err != nil {
			return false, err
		}
		for key, value := range values {
			if value.Secret {
				outputs[key] = "[secret]"
			} else {
				outputs[key] = value.Value
			}
		}
	}
	lock.Lock()
	summary, err := json.Marshal(map[string]interface{}{
		"step": step, "ok": ok, "ops": ops, "outputs": outputs,
	})
	lock.Unlock()
	if err != nil {
		return false, err
	}
	fmt.Printf("\n%s\n", summary)
	return ok, nil
}

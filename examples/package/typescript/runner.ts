// Runs orderProgram (index.ts) through the Automation API as an inline program: one step per
// invocation, `node bin/runner.js init|preview|up|refresh|destroy`.
//
// The stack lives in the current folder (or $SINCH_EXAMPLE_DIR): its Pulumi.yaml and
// Pulumi.<stack>.yaml, which `pulumi config set` fills. The backend and the passphrase come from
// the environment as for any Pulumi command (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE), and
// the engine finds the provider plugin `pulumi-resource-sinch` on PATH.
//
// Its last line is one JSON object: the step, whether it succeeded, each resource's operation and
// the stack outputs, a secret output shown as "[secret]".
import { EngineEvent, LocalWorkspace, OutputMap } from "@pulumi/pulumi/automation";
import { orderProgram } from "./index";

const projectName = "sinch-numbers-order";

async function main(step: string): Promise<boolean> {
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: process.env.SINCH_EXAMPLE_STACK ?? "dev", projectName, program: orderProgram },
        {
            workDir: process.env.SINCH_EXAMPLE_DIR ?? process.cwd(),
            projectSettings: { name: projectName, runtime: "nodejs" },
        },
    );
    const ops: Record<string, string> = {};
    const options = {
        onOutput: (text: string) => process.stdout.write(text),
        onError: (text: string) => process.stderr.write(text),
        onEvent: (event: EngineEvent) => {
            const metadata = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
            if (metadata && !metadata.type.startsWith("pulumi:")) {
                ops[metadata.urn.split("::").pop() as string] = metadata.op;
            }
        },
    };
    let ok = true;
    try {
        switch (step) {
            case "init":
                break;
            case "preview":
                await stack.preview(options);
                break;
            case "up":
                await stack.up(options);
                break;
            case "refresh":
                await stack.refresh(options);
                break;
            case "destroy":
                await stack.destroy(options);
                break;
            default:
                throw new Error(`unknown step ${step}: init, preview, up, refresh or destroy`);
        }
    } catch (error) {
        // The CLI has printed why (its diagnostics, above); the error's first line says how it
        // ended, the rest repeats all it printed.
        const message = error instanceof Error ? error.message : String(error);
        process.stdout.write(`${step} failed: ${message.split("\n")[0]}\n`);
        ok = false;
    }
    const outputs = step === "preview" || step === "init" ? {} : shown(await stack.outputs());
    process.stdout.write(`\n${JSON.stringify({ step, ok, ops, outputs })}\n`);
    return ok;
}

function shown(outputs: OutputMap): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(outputs).map(([key, out]) => [key, out.secret ? "[secret]" : out.value]),
    );
}

main(process.argv[2] ?? "").then(
    (ok) => process.exit(ok ? 0 : 1),
    (error) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(2);
    },
);

import type { StepDefinition, StepEvent } from "@atende/control-plane";
import { Listr, ListrLogger, ProcessOutput } from "listr2";
import type { Io } from "./io.js";
import { formatDuration } from "./output.js";

type StepOutcome = { state: "succeeded" | "skipped"; durationMs: number; note?: string };

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Shows an operation's steps with listr2 while the control plane runs them. The steps come
 * from the library (the same list its journal records), so the CLI and the dashboard show the
 * same progress; each finished step shows how long it took.
 */
export async function runWithSteps<T>(
  io: Io,
  steps: readonly StepDefinition[],
  options: { quiet: boolean },
  operation: (
    onProgress: (event: Pick<StepEvent, "step" | "state" | "durationMs" | "note">) => void,
  ) => Promise<T>,
): Promise<T> {
  const outcomes = new Map(steps.map((step) => [step.id, deferred<StepOutcome>()]));
  let display: Promise<unknown> | undefined;
  const onProgress = (event: Pick<StepEvent, "step" | "state" | "durationMs" | "note">) => {
    // The list appears with the first step, so a failure before any step (bad input) prints
    // only its message, not a failed step it has nothing to do with.
    if (!options.quiet && display === undefined) display = showSteps(io, steps, outcomes);
    const outcome = outcomes.get(event.step.id);
    if (!outcome || event.state === "started") return;
    if (event.state === "failed") outcome.reject(new Error(`${event.step.title} failed`));
    else
      outcome.resolve({
        state: event.state,
        durationMs: event.durationMs ?? 0,
        ...(event.note ? { note: event.note } : {}),
      });
  };

  try {
    const result = await operation(onProgress);
    await display;
    return result;
  } catch (error) {
    for (const outcome of outcomes.values()) outcome.reject(error);
    await display;
    throw error;
  }
}

function showSteps(
  io: Io,
  steps: readonly StepDefinition[],
  outcomes: Map<string, Deferred<StepOutcome>>,
): Promise<unknown> {
  const list = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_context: unknown, task: { title: string; skip(message?: string): void }) => {
        const outcome = await (outcomes.get(step.id) as Deferred<StepOutcome>).promise;
        const timing = formatDuration(outcome.durationMs);
        if (outcome.state === "skipped")
          task.skip(`${outcome.note ?? "nothing to do"} (${timing})`);
        else task.title = `${step.title}${outcome.note ? `: ${outcome.note}` : ""} (${timing})`;
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      // The CLI cancels and cleans up on Ctrl-C itself.
      registerSignalListeners: false,
      renderer: "default",
      fallbackRenderer: "simple",
      fallbackRendererCondition: !io.stderr.isTTY,
      rendererOptions: { collapseErrors: false, logger: progressLogger(io) },
      fallbackRendererOptions: { logger: progressLogger(io) },
    },
  );
  return list.run().catch(() => undefined);
}

// Progress goes to stderr: stdout carries the result (and --json).
function progressLogger(io: Io) {
  const stream = io.stderr as NodeJS.WriteStream;
  return new ListrLogger({ processOutput: new ProcessOutput(stream, stream) });
}

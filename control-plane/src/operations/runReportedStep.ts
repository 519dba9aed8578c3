import type { StepDefinition, StepEvent } from "./operationJournal.js";

/** A step result meaning "nothing to do". */
export interface Skipped {
  skipped: string;
}

/** True for a step result that says the step had nothing to do. */
export function isSkipped(value: unknown): value is Skipped {
  return (
    typeof value === "object" && value !== null && typeof (value as Skipped).skipped === "string"
  );
}

/** One step's progress without the operation id (the journal adds it). */
export type StepReport = Omit<StepEvent, "operationId">;

/**
 * Runs one step and reports it: started, then succeeded / skipped (with the reason) / failed,
 * with its duration. The report is awaited, so a journal can persist each state before the
 * next side effect. `note` adds a remark to a succeeded step (e.g. why a mode was chosen).
 */
export async function runReportedStep<T>(
  step: StepDefinition,
  run: () => Promise<T>,
  report: (event: StepReport) => void | Promise<void>,
  note?: () => string | undefined,
): Promise<T> {
  const startedAt = Date.now();
  await report({ step, state: "started" });
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await report({ step, state: "failed", durationMs: Date.now() - startedAt });
    throw error;
  }
  const remark = isSkipped(result) ? result.skipped : note?.();
  await report({
    step,
    state: isSkipped(result) ? "skipped" : "succeeded",
    durationMs: Date.now() - startedAt,
    ...(remark ? { note: remark } : {}),
  });
  return result;
}

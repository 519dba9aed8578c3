import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Knex } from "knex";
import { AtendeError } from "../errors.js";
import { runReportedStep } from "./runReportedStep.js";

/** Operations the control plane runs on a tenant. */
export type OperationKind =
  | "create"
  | "destroy"
  | "start"
  | "stop"
  | "backup"
  | "restore"
  | "verify-backup"
  | "prune-backups"
  | "upgrade"
  | "configure";

/** One step of an operation, as shown by the CLI (listr2) and, later, the dashboard. */
export interface StepDefinition {
  id: string;
  title: string;
}

/** Progress of one step, reported as it happens. */
export interface StepEvent {
  operationId: string;
  step: StepDefinition;
  state: "started" | "succeeded" | "skipped" | "failed";
  /** Time spent in the step, once it ended. */
  durationMs?: number;
  /** For skipped steps: why (e.g. "already exists"). */
  note?: string;
}

export type ProgressListener = (event: StepEvent) => void;

interface StepRecord {
  id: string;
  state: StepEvent["state"];
  startedAt: number;
  durationMs?: number;
  note?: string;
}

/**
 * The operation journal: every operation and each of its steps is written to the registry
 * before and after its side effect, so a crash leaves a record of how far it got.
 */
export class OperationJournal {
  readonly id = randomUUID();
  readonly #steps: StepRecord[] = [];

  private constructor(
    private readonly db: Knex,
    readonly tenant: string,
    readonly kind: OperationKind,
    private readonly listener: ProgressListener | undefined,
  ) {}

  /** Opens a journal entry for a new operation. */
  static async begin(
    db: Knex,
    tenant: string,
    kind: OperationKind,
    listener?: ProgressListener,
  ): Promise<OperationJournal> {
    const journal = new OperationJournal(db, tenant, kind, listener);
    await db("operations").insert({
      id: journal.id,
      tenant,
      kind,
      status: "running",
      steps: "[]",
      owner: `${hostname()}:${process.pid}`,
      started_at: Date.now(),
    });
    return journal;
  }

  /**
   * Runs one step: journals it, tells the listener, times it. The step function may return
   * `{ skipped: reason }` when there was nothing to do (idempotent re-runs).
   */
  async step<T>(step: StepDefinition, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted)
      throw new AtendeError("operation_cancelled", `${this.kind} of ${this.tenant} was cancelled.`);
    const record: StepRecord = { id: step.id, state: "started", startedAt: Date.now() };
    this.#steps.push(record);
    return runReportedStep(step, run, async (event) => {
      record.state = event.state;
      if (event.durationMs !== undefined) record.durationMs = event.durationMs;
      if (event.note !== undefined) record.note = event.note;
      await this.#save();
      this.listener?.({ operationId: this.id, ...event });
    });
  }

  /** Marks the operation finished. */
  async finish(error?: unknown): Promise<void> {
    await this.db("operations")
      .where({ id: this.id })
      .update({
        status: error === undefined ? "succeeded" : "failed",
        steps: JSON.stringify(this.#steps),
        error_id:
          error === undefined ? null : error instanceof AtendeError ? error.id : "internal_error",
        error_message: error === undefined ? null : (error as Error).message.slice(0, 2000),
        finished_at: Date.now(),
      });
  }

  async #save(): Promise<void> {
    await this.db("operations")
      .where({ id: this.id })
      .update({ steps: JSON.stringify(this.#steps) });
  }
}

/**
 * A typed lookup into an operation's step list, so each operation names its steps by id and
 * a typo is a compile error.
 */
export function stepsById<const Steps extends readonly StepDefinition[]>(steps: Steps) {
  return (id: Steps[number]["id"]): StepDefinition =>
    steps.find((candidate) => candidate.id === id) as StepDefinition;
}

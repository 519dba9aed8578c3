import { componentLogger, type Logger } from "../logger.js";

/**
 * Shutdown phases in the order they run: stop taking work first, close what the work uses last.
 * `http` stops accepting connections, `sockets` disconnects real-time clients (and waits for
 * in-flight requests), `queues` closes BullMQ workers and queues, then the database and Redis.
 */
export const shutdownPhases = ["http", "sockets", "queues", "database", "redis"] as const;

/** One of `shutdownPhases`. */
export type ShutdownPhase = (typeof shutdownPhases)[number];

interface Step {
  phase: ShutdownPhase;
  name: string;
  close: () => Promise<void>;
}

/**
 * Ordered, time-limited shutdown. Parts of the process register a close step as they start;
 * on SIGTERM/SIGINT (or a fatal error) the steps run phase by phase, each logged. If they take
 * longer than `timeoutMs` in total, the process exits with status 1 regardless.
 */
export class ShutdownHelper {
  private readonly steps: Step[] = [];
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly exit: (code: number) => void;
  private running: Promise<void> | undefined;

  /**
   * @param options.exit how to end the process (tests pass a spy); defaults to `process.exit`
   */
  constructor(options: { logger: Logger; timeoutMs: number; exit?: (code: number) => void }) {
    this.log = componentLogger(options.logger, "shutdown");
    this.timeoutMs = options.timeoutMs;
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  /** Registers a close step. Steps of one phase run in registration order. */
  add(phase: ShutdownPhase, name: string, close: () => Promise<void>): void {
    this.steps.push({ phase, name, close });
  }

  /** Whether shutdown has begun (new work should not start). */
  get isShuttingDown(): boolean {
    return this.running !== undefined;
  }

  /** Runs `shutdown` on SIGTERM and SIGINT. */
  listen(): void {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.on(signal, () => {
        void this.shutdown(signal);
      });
    }
  }

  /**
   * Runs every step once, then exits with `exitCode` (or 1 if time runs out). Calling it again
   * while running returns the same promise.
   */
  shutdown(reason: string, exitCode = 0): Promise<void> {
    this.running ??= this.run(reason, exitCode);
    return this.running;
  }

  private async run(reason: string, exitCode: number): Promise<void> {
    this.log.info({ reason, timeoutMs: this.timeoutMs }, "shutting down");
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.log.error({ timeoutMs: this.timeoutMs }, "shutdown timed out; forcing exit");
      this.exit(1);
    }, this.timeoutMs);

    const ordered = shutdownPhases.flatMap((phase) =>
      this.steps.filter((step) => step.phase === phase),
    );
    for (const step of ordered) {
      const startedAt = Date.now();
      try {
        await step.close();
        this.log.info(
          { phase: step.phase, step: step.name, durationMs: Date.now() - startedAt },
          "closed",
        );
      } catch (error) {
        // Keep going: a failed step must not leave later resources (the DB pool) open.
        this.log.error({ phase: step.phase, step: step.name, err: error }, "close step failed");
      }
    }
    clearTimeout(timer);
    if (timedOut) return; // already exited with status 1
    this.log.info({ exitCode }, "shutdown complete");
    this.exit(exitCode);
  }
}

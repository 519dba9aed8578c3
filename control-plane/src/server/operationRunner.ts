import type { OperationStartedPayload } from "../contracts/api.js";
import type {
  OperationFinishedPayload,
  OperationProgressedPayload,
  TenantCreatedPayload,
} from "../contracts/socket-events.js";
import { AtendeError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { ProgressListener } from "../operations/operationJournal.js";

/** Where an operation's events go (the Socket.IO server, or nothing). */
export interface OperationEvents {
  progressed(payload: OperationProgressedPayload): void;
  finished(payload: OperationFinishedPayload): void;
  /** Only to the staff member who created the tenant. */
  tenantCreated(staffId: number, payload: TenantCreatedPayload): void;
}

/** What to run and on whose behalf. */
export interface BackgroundOperation<T> {
  tenant: string;
  kind: string;
  staffId: number;
  run(onProgress: ProgressListener): Promise<T>;
  /** Called after success, e.g. to hand the one-time password to its requester. */
  onSucceeded?(result: T, operationId: string): void | Promise<void>;
  /** Called once the operation ended either way (audit). */
  onFinished?(payload: OperationFinishedPayload): void | Promise<void>;
}

/**
 * Runs library operations in the background for the API. The request waits only until the
 * library has journalled the operation (its first step event, which carries the id): input
 * errors, a busy tenant or an unreachable Docker engine still fail the request itself.
 */
export class OperationRunner {
  readonly #inFlight = new Set<Promise<unknown>>();
  events: OperationEvents | undefined;

  constructor(private readonly logger: Logger) {}

  start<T>(operation: BackgroundOperation<T>): Promise<OperationStartedPayload> {
    return new Promise((resolve, reject) => {
      let operationId: string | undefined;
      const onProgress: ProgressListener = (event) => {
        if (operationId === undefined) {
          operationId = event.operationId;
          resolve({ operationId, tenant: operation.tenant, kind: operation.kind });
        }
        this.events?.progressed({
          operationId: event.operationId,
          tenant: operation.tenant,
          kind: operation.kind,
          step: { id: event.step.id, title: event.step.title },
          state: event.state,
          ...(event.durationMs === undefined ? {} : { durationMs: event.durationMs }),
          ...(event.note === undefined ? {} : { note: event.note }),
        });
      };
      const finish = async (payload: OperationFinishedPayload) => {
        this.events?.finished(payload);
        await operation.onFinished?.(payload);
      };
      const task = operation
        .run(onProgress)
        .then(async (result) => {
          if (operationId === undefined) {
            reject(new Error(`${operation.kind} of ${operation.tenant} reported no step`));
            return;
          }
          await operation.onSucceeded?.(result, operationId);
          await finish({ ...this.#meta(operation, operationId), status: "succeeded" });
        })
        .catch(async (error: unknown) => {
          if (operationId === undefined) {
            reject(error);
            return;
          }
          if (!(error instanceof AtendeError))
            this.logger.error(
              { err: error, tenant: operation.tenant, operationId },
              "background operation failed",
            );
          await finish({
            ...this.#meta(operation, operationId),
            status: "failed",
            error:
              error instanceof AtendeError
                ? {
                    id: error.id,
                    message: error.message,
                    ...(error.hint === undefined ? {} : { hint: error.hint }),
                  }
                : {
                    id: "internal_error",
                    message: "The operation failed unexpectedly; see the server log.",
                  },
          });
        })
        .catch((error: unknown) => {
          this.logger.error(
            { err: error, tenant: operation.tenant },
            "operation bookkeeping failed",
          );
        })
        .finally(() => this.#inFlight.delete(task));
      this.#inFlight.add(task);
    });
  }

  /** Waits for every running operation to end (on shutdown and in tests). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #meta(operation: { tenant: string; kind: string }, operationId: string) {
    return { operationId, tenant: operation.tenant, kind: operation.kind };
  }
}

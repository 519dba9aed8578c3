/**
 * Socket.IO event maps of the control plane, shared by the server and the dashboard (types
 * only). Server broadcasts are past tense `entity:verbed`; the dashboard sends no commands yet.
 */

/** One step of an operation changed state: the library's StepEvent plus what it belongs to. */
export interface OperationProgressedPayload {
  operationId: string;
  tenant: string;
  kind: string;
  step: { id: string; title: string };
  state: "started" | "succeeded" | "skipped" | "failed";
  durationMs?: number;
  note?: string;
}

/** An operation started through the API ended. `error` carries only the stable id and message. */
export interface OperationFinishedPayload {
  operationId: string;
  tenant: string;
  kind: string;
  status: "succeeded" | "failed";
  error?: { id: string; message: string; hint?: string };
}

/**
 * A tenant created through the API is ready. Sent only to the staff member who asked for it,
 * because it carries the first admin's one-time password (shown once, stored nowhere).
 */
export interface TenantCreatedPayload {
  operationId: string;
  tenant: string;
  url: string;
  adminEmail: string;
  oneTimePassword: string;
}

export interface ServerToClientEvents {
  "operation:progressed": (payload: OperationProgressedPayload) => void;
  "operation:finished": (payload: OperationFinishedPayload) => void;
  "tenant:created": (payload: TenantCreatedPayload) => void;
}

// biome-ignore lint/complexity/noBannedTypes: the dashboard sends no commands yet.
export type ClientToServerEvents = {};

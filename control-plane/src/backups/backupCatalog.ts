import type { Knex } from "knex";

export type BackupStatus = "running" | "succeeded" | "failed";
export type BackupKind = "manual" | "scheduled" | "safety" | "pre-upgrade";

/** The off-site copy of a backup (ADR 0006). */
export interface RemoteCopy {
  /** `s3://bucket/prefix/<tenant>/<id>/`. */
  location: string;
  state: "uploading" | "uploaded" | "failed";
  /** Why the upload failed (never credentials). */
  error: string | null;
  at: Date;
}

/** One backup as the catalogue records it. */
export interface BackupEntry {
  id: string;
  tenant: string;
  kind: BackupKind;
  status: BackupStatus;
  path: string;
  plainBytes: number | null;
  storedBytes: number | null;
  manifestSha256: string | null;
  operationId: string | null;
  error: { id: string; message: string } | null;
  createdAt: Date;
  finishedAt: Date | null;
  verifiedAt: Date | null;
  verifyStatus: "passed" | "failed" | null;
  verifyDetail: string | null;
  /** The off-site copy, or null when none was attempted. */
  remote: RemoteCopy | null;
}

interface BackupRow {
  id: string;
  tenant: string;
  kind: BackupKind;
  status: BackupStatus;
  path: string;
  plain_bytes: number | string | null;
  stored_bytes: number | string | null;
  manifest_sha256: string | null;
  operation_id: string | null;
  error_id: string | null;
  error_message: string | null;
  created_at: number | string;
  finished_at: number | string | null;
  verified_at: number | string | null;
  verify_status: "passed" | "failed" | null;
  verify_detail: string | null;
  remote_location?: string | null;
  remote_status?: RemoteCopy["state"] | null;
  remote_error?: string | null;
  remote_at?: number | string | null;
}

const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));
const dateOrNull = (value: number | string | null) =>
  value === null ? null : new Date(Number(value));

const fromRow = (row: BackupRow): BackupEntry => ({
  id: row.id,
  tenant: row.tenant,
  kind: row.kind,
  status: row.status,
  path: row.path,
  plainBytes: numberOrNull(row.plain_bytes),
  storedBytes: numberOrNull(row.stored_bytes),
  manifestSha256: row.manifest_sha256,
  operationId: row.operation_id,
  error:
    row.error_id === null ? null : { id: row.error_id, message: row.error_message ?? row.error_id },
  createdAt: new Date(Number(row.created_at)),
  finishedAt: dateOrNull(row.finished_at),
  verifiedAt: dateOrNull(row.verified_at),
  verifyStatus: row.verify_status,
  verifyDetail: row.verify_detail,
  remote:
    row.remote_location && row.remote_status
      ? {
          location: row.remote_location,
          state: row.remote_status,
          error: row.remote_error ?? null,
          at: new Date(Number(row.remote_at ?? 0)),
        }
      : null,
});

/** Reads and writes the backup catalogue in the registry store. */
export class BackupCatalog {
  constructor(private readonly db: Knex) {}

  async start(entry: {
    id: string;
    tenant: string;
    kind: BackupKind;
    path: string;
    operationId: string;
  }): Promise<void> {
    await this.db("backups").insert({
      id: entry.id,
      tenant: entry.tenant,
      kind: entry.kind,
      status: "running",
      path: entry.path,
      operation_id: entry.operationId,
      created_at: Date.now(),
    });
  }

  async succeed(
    id: string,
    result: { plainBytes: number; storedBytes: number; manifestSha256: string },
  ): Promise<void> {
    await this.db("backups").where({ id }).update({
      status: "succeeded",
      plain_bytes: result.plainBytes,
      stored_bytes: result.storedBytes,
      manifest_sha256: result.manifestSha256,
      finished_at: Date.now(),
    });
  }

  async fail(id: string, error: { id: string; message: string }): Promise<void> {
    await this.db("backups")
      .where({ id })
      .update({
        status: "failed",
        error_id: error.id,
        error_message: error.message.slice(0, 2000),
        finished_at: Date.now(),
      });
  }

  async recordVerification(id: string, result: { passed: boolean; detail: string }): Promise<void> {
    await this.db("backups")
      .where({ id })
      .update({
        verified_at: Date.now(),
        verify_status: result.passed ? "passed" : "failed",
        verify_detail: result.detail.slice(0, 2000),
      });
  }

  /** Records the state of a backup's off-site copy. */
  async recordRemote(
    id: string,
    remote: { location: string; state: RemoteCopy["state"]; error?: string },
  ): Promise<void> {
    await this.db("backups")
      .where({ id })
      .update({
        remote_location: remote.location,
        remote_status: remote.state,
        remote_error: remote.error?.slice(0, 2000) ?? null,
        remote_at: Date.now(),
      });
  }

  async find(id: string): Promise<BackupEntry | undefined> {
    const row = (await this.db<BackupRow>("backups").where({ id }).first()) as
      | BackupRow
      | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** A tenant's backups, newest first. */
  async list(tenant: string): Promise<BackupEntry[]> {
    const rows = (await this.db<BackupRow>("backups")
      .where({ tenant })
      .orderBy([
        { column: "created_at", order: "desc" },
        { column: "id", order: "desc" },
      ])) as BackupRow[];
    return rows.map(fromRow);
  }

  async remove(id: string): Promise<void> {
    await this.db("backups").where({ id }).delete();
  }
}

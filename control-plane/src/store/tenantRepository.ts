import type { Knex } from "knex";
import type { SecretBox } from "../secrets/secretBox.js";

/** Lifecycle of a tenant as the registry records it (the desired state). */
export type TenantStatus = "creating" | "ready" | "stopped" | "failed" | "archived" | "destroying";

/** A tenant as stored, secrets still sealed. */
export interface TenantRecord {
  name: string;
  status: TenantStatus;
  templateId: string;
  templateVersion: number;
  appVersion: string;
  images: Record<string, string>;
  publishHost: string;
  hostPort: number;
  url: string;
  adminEmail: string;
  sealedSecrets: string;
  /** Settings of `atende tenant config` as JSON, secret values sealed (null: none). */
  config?: string | null;
  lastOperationId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface TenantRow {
  name: string;
  status: TenantStatus;
  template_id: string;
  template_version: number;
  app_version: string;
  images: string;
  publish_host: string;
  host_port: number;
  url: string;
  admin_email: string;
  secrets: string;
  config?: string | null;
  last_operation_id: string | null;
  created_at: number | string;
  updated_at: number | string;
}

const fromRow = (row: TenantRow): TenantRecord => ({
  name: row.name,
  status: row.status,
  templateId: row.template_id,
  templateVersion: Number(row.template_version),
  appVersion: row.app_version,
  images: JSON.parse(row.images) as Record<string, string>,
  publishHost: row.publish_host,
  hostPort: Number(row.host_port),
  url: row.url,
  adminEmail: row.admin_email,
  sealedSecrets: row.secrets,
  config: row.config ?? null,
  lastOperationId: row.last_operation_id,
  createdAt: new Date(Number(row.created_at)),
  updatedAt: new Date(Number(row.updated_at)),
});

/** Reads and writes tenant records. */
export class TenantRepository {
  constructor(private readonly db: Knex) {}

  /** One tenant, or undefined. */
  async find(name: string): Promise<TenantRecord | undefined> {
    const row = (await this.db<TenantRow>("tenants").where({ name }).first()) as
      | TenantRow
      | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** All tenants, by name. */
  async list(): Promise<TenantRecord[]> {
    const rows = (await this.db<TenantRow>("tenants").orderBy("name")) as TenantRow[];
    return rows.map(fromRow);
  }

  /** Host ports already handed out. */
  async usedPorts(): Promise<Set<number>> {
    const rows = (await this.db("tenants").select("host_port")) as Array<{ host_port: number }>;
    return new Set(rows.map((row) => Number(row.host_port)));
  }

  /** Inserts a new tenant; the unique name and port make a concurrent duplicate fail. */
  async insert(record: Omit<TenantRecord, "createdAt" | "updatedAt">): Promise<void> {
    const now = Date.now();
    await this.db("tenants").insert({
      name: record.name,
      status: record.status,
      template_id: record.templateId,
      template_version: record.templateVersion,
      app_version: record.appVersion,
      images: JSON.stringify(record.images),
      publish_host: record.publishHost,
      host_port: record.hostPort,
      url: record.url,
      admin_email: record.adminEmail,
      secrets: record.sealedSecrets,
      config: record.config ?? null,
      last_operation_id: record.lastOperationId,
      created_at: now,
      updated_at: now,
    });
  }

  /** Records a status change and the operation that made it. */
  async setStatus(name: string, status: TenantStatus, operationId: string): Promise<void> {
    await this.db("tenants")
      .where({ name })
      .update({ status, last_operation_id: operationId, updated_at: Date.now() });
  }

  /** Records the release a tenant runs now (after an upgrade or its rollback). */
  async setRelease(
    name: string,
    release: { appVersion: string; images: Record<string, string>; templateVersion: number },
    operationId: string,
  ): Promise<void> {
    await this.db("tenants")
      .where({ name })
      .update({
        app_version: release.appVersion,
        images: JSON.stringify(release.images),
        template_version: release.templateVersion,
        last_operation_id: operationId,
        updated_at: Date.now(),
      });
  }

  /** Replaces the tenant's settings (the `config` column, secrets already sealed). */
  async setConfig(name: string, config: string | null, operationId: string): Promise<void> {
    await this.db("tenants")
      .where({ name })
      .update({ config, last_operation_id: operationId, updated_at: Date.now() });
  }

  /** Removes the record (the tenant's Docker objects must be gone already). */
  async delete(name: string): Promise<void> {
    await this.db("tenants").where({ name }).delete();
  }
}

/** Seals and opens a tenant's generated secrets. */
export const tenantSecrets = {
  seal: (box: SecretBox, tenant: string, secrets: Record<string, string>) =>
    box.seal(JSON.stringify(secrets), `tenant:${tenant}`),
  open: (box: SecretBox, record: Pick<TenantRecord, "name" | "sealedSecrets">) =>
    JSON.parse(box.open(record.sealedSecrets, `tenant:${record.name}`)) as Record<string, string>,
};

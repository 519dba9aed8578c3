import type { Knex } from "knex";
import {
  builtinRolePermissions,
  type Permission,
  permissions,
} from "../../contracts/permissions.js";

/** How long a process trusts its copy of the roles (changes made by another process). */
const CACHE_TTL_MS = 5_000;

const isBuiltin = (key: string): key is keyof typeof builtinRolePermissions =>
  Object.hasOwn(builtinRolePermissions, key);

const known = new Set<string>(permissions);

interface RoleRow {
  key: string;
  permissions: string | string[];
}

/**
 * Which permissions each role grants, read from the `roles` table (custom roles) and from code
 * (built-in roles). Every request asks, so the map is cached per database for a few seconds;
 * a change made through this process is seen at once, one made elsewhere within the TTL.
 */
export class RoleCatalog {
  private static readonly byDatabase = new WeakMap<Knex, RoleCatalog>();
  private readonly db: Knex;
  private cached: { map: Map<string, ReadonlySet<Permission>>; expiresAt: number } | undefined;
  private loading: Promise<Map<string, ReadonlySet<Permission>>> | undefined;

  private constructor(db: Knex) {
    this.db = db;
  }

  /** The catalog of a tenant database (one per Knex instance). */
  static for(db: Knex): RoleCatalog {
    let catalog = RoleCatalog.byDatabase.get(db);
    if (catalog === undefined) {
      catalog = new RoleCatalog(db);
      RoleCatalog.byDatabase.set(db, catalog);
    }
    return catalog;
  }

  /** The permissions of a role; none for an unknown role (fails closed). */
  async permissionsOf(roleKey: string): Promise<ReadonlySet<Permission>> {
    if (isBuiltin(roleKey)) return new Set<Permission>(builtinRolePermissions[roleKey]);
    const map = await this.load();
    return map.get(roleKey) ?? new Set();
  }

  /** Forgets the cached copy (after this process changed a role). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async load(): Promise<Map<string, ReadonlySet<Permission>>> {
    if (this.cached !== undefined && this.cached.expiresAt > Date.now()) return this.cached.map;
    this.loading ??= this.read().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async read(): Promise<Map<string, ReadonlySet<Permission>>> {
    const rows: RoleRow[] = await this.db("roles")
      .where({ builtin: false })
      .select("key", "permissions");
    const map = new Map<string, ReadonlySet<Permission>>();
    for (const row of rows) {
      const list =
        typeof row.permissions === "string" ? JSON.parse(row.permissions) : row.permissions;
      // A permission removed by a later release simply stops counting.
      map.set(
        row.key,
        new Set((list as string[]).filter((name): name is Permission => known.has(name))),
      );
    }
    this.cached = { map, expiresAt: Date.now() + CACHE_TTL_MS };
    return map;
  }
}

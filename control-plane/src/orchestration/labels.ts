/** Label keys on every Docker object atende makes: the index it finds them by (operations.md §1). */
export const LABEL = {
  managed: "atende.managed",
  tenant: "atende.tenant",
  role: "atende.role",
  template: "atende.template",
  templateVersion: "atende.template-version",
  version: "atende.version",
  operation: "atende.op",
  specHash: "atende.spec-hash",
} as const;

/** Filter for `list*` calls: everything atende manages, or one tenant's objects. */
export function labelFilter(tenant?: string, role?: string): { label: string[] } {
  const label = [`${LABEL.managed}=true`];
  if (tenant !== undefined) label.push(`${LABEL.tenant}=${tenant}`);
  if (role !== undefined) label.push(`${LABEL.role}=${role}`);
  return { label };
}

/** Deterministic names, so every step can look before it creates. */
export const names = {
  container: (tenant: string, role: string) => `atende-${tenant}-${role}`,
  volume: (tenant: string, volume: string) => `atende-${tenant}-${volume}`,
  internalNetwork: (tenant: string) => `atende-${tenant}-internal`,
  edgeNetwork: (tenant: string) => `atende-${tenant}-edge`,
};

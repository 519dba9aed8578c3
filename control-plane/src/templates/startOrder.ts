import type { Template } from "./templateSchema.js";

/** Services ordered so that each comes after what it depends on. */
export function startOrder(template: Template): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (role: string) => {
    if (order.includes(role)) return;
    if (visiting.has(role)) throw new Error(`dependency cycle through "${role}"`);
    visiting.add(role);
    for (const dependency of template.services[role]?.dependsOn ?? []) visit(dependency);
    visiting.delete(role);
    order.push(role);
  };
  for (const role of Object.keys(template.services).sort()) visit(role);
  return order;
}

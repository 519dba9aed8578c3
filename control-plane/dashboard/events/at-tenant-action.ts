/** A staff member asked for an action on a tenant (the shell calls the API). */
export type AtTenantActionEvent = CustomEvent<{
  tenant: string;
  action: "details" | "stop" | "start" | "destroy";
}>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-tenant-action": AtTenantActionEvent;
  }
}

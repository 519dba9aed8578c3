import type { Components } from "../../components.js";
import type { AnyTask } from "./base/BaseTask.js";

/**
 * The tasks the worker role runs. Empty on purpose: nothing needs background work yet (expired
 * sessions vanish through Redis TTLs). The worker role keeps its seam (registry, connection,
 * shutdown) so the first real task (WhatsApp side effects, FILA-IA, media download) is one
 * entry here.
 */
export function createTasks(_components: Components): AnyTask[] {
  return [];
}

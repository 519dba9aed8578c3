import type { ControlPlane } from "./controlPlane.js";
import type { ServeOptions, ServingControlPlane } from "./main.js";

export type { ServeOptions, ServingControlPlane };

/**
 * Serves the control-plane API and dashboard. Express and Socket.IO load only when this is
 * called, so importing the library stays light and free of side effects.
 */
export async function serveControlPlane(
  cp: ControlPlane,
  options: ServeOptions = {},
): Promise<ServingControlPlane> {
  const { serveControlPlane: serve } = await import("./main.js");
  return serve(cp, options);
}

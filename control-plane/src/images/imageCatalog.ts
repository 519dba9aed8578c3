import type { ControlPlaneConfig } from "../config.js";

/** The images a tenant set is made of, by catalogue name (what templates refer to). */
export const IMAGE_NAMES = ["runtime", "mariadb", "redis"] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/** `atende/runtime:0.1.0` and friends for one release. */
export function imageReferences(
  config: Pick<ControlPlaneConfig, "ATENDE_IMAGE_PREFIX">,
  version: string,
): Record<ImageName, string> {
  return Object.fromEntries(
    IMAGE_NAMES.map((name) => [name, `${config.ATENDE_IMAGE_PREFIX}/${name}:${version}`]),
  ) as Record<ImageName, string>;
}

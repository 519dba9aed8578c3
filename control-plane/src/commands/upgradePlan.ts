import { invalidOption } from "../errors.js";

/** A Docker tag: what `--to` may be (`0.2.0`, `0.2.0-rc.1`). */
const RELEASE_VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Refuses a `--to` that cannot be an image tag, before anything is looked up. */
export function validateReleaseVersion(version: string): void {
  if (!RELEASE_VERSION.test(version)) {
    throw invalidOption(
      `Invalid release version "${version}": it must be an image tag (letters, digits, ".", "_", "-").`,
      "Give the version the images were built as, e.g. --to 0.2.0.",
    );
  }
}

/** What an upgrade changes for one service. */
export interface ServiceChange {
  role: string;
  image: string;
  from: string;
  to: string;
  /**
   * True when the container must be re-created: the new reference is a different image. A new
   * tag of the very same image only changes the record, so the data services keep running.
   */
  recreate: boolean;
}

/**
 * The per-service plan of an upgrade, pure: from the images the record holds, the images of the
 * target release and the image ids both resolve to (`undefined` when unknown).
 */
export function planServiceChanges(
  roles: Array<{ role: string; image: string }>,
  current: Record<string, string>,
  target: Record<string, string>,
  imageIds: Record<string, string | undefined>,
): ServiceChange[] {
  return roles.flatMap(({ role, image }) => {
    const from = current[image];
    const to = target[image];
    if (from === undefined || to === undefined || from === to) return [];
    const fromId = imageIds[from];
    const toId = imageIds[to];
    return [{ role, image, from, to, recreate: fromId === undefined || fromId !== toId }];
  });
}

/**
 * The images the record holds after an upgrade: the app's always becomes the target's (the app
 * container is always re-created), a data service's only when its container is re-created, so
 * the record keeps describing the containers that actually run.
 */
export function imagesAfterUpgrade(
  current: Record<string, string>,
  target: Record<string, string>,
  changes: ServiceChange[],
  appImage: string,
): Record<string, string> {
  const images = { ...current };
  const appTarget = target[appImage];
  if (appTarget !== undefined) images[appImage] = appTarget;
  for (const change of changes) if (change.recreate) images[change.image] = change.to;
  return images;
}

/**
 * Runs `work` over `items` with at most `concurrency` at a time, in order, starting no new item
 * after the first failure (items already running finish). Outcomes come back in input order;
 * items never started are reported as such.
 */
export async function runRolling<T>(
  items: string[],
  concurrency: number,
  work: (item: string) => Promise<T>,
): Promise<Array<{ item: string; result?: T; error?: Error; started: boolean }>> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw invalidOption(`Invalid concurrency ${concurrency}: it must be a whole number ≥ 1.`);
  const outcomes = items.map((item) => ({
    item,
    started: false,
    result: undefined as T | undefined,
    error: undefined as Error | undefined,
  }));
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < outcomes.length) {
      const outcome = outcomes[next++] as (typeof outcomes)[number];
      outcome.started = true;
      try {
        outcome.result = await work(outcome.item);
      } catch (error) {
        outcome.error = error as Error;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return outcomes.map(({ item, started, result, error }) => ({
    item,
    started,
    ...(result === undefined ? {} : { result }),
    ...(error === undefined ? {} : { error }),
  }));
}

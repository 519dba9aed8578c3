import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout the CLI runs from (images are built from its docker/ and runtime/). */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

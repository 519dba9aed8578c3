import { readFileSync } from "node:fs";

/** The atende release this control plane belongs to; images are tagged with it. */
export const ATENDE_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { type Document, isMap, LineCounter, parseDocument } from "yaml";
import type { ControlPlaneConfig } from "../config.js";
import { AtendeError } from "../errors.js";
import { startOrder } from "./startOrder.js";
import { type Template, templateSchema } from "./templateSchema.js";

/** A template together with where it came from. */
export interface LoadedTemplate {
  template: Template;
  file: string;
}

const REFERENCE = /\$\{([^}]*)\}/g;
const TENANT_REFERENCES = new Set(["tenant.name", "tenant.url"]);

const templateInvalid = (file: string, problems: string[]) =>
  new AtendeError(
    "template_invalid",
    `Template ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    {
      hint: "Fix the fields named above (templates/README.md describes the schema).",
      data: { file, problems },
    },
  );

/**
 * Loads a template by name (from the templates directory) or by path, and validates it
 * completely before anything touches Docker. Every problem names the file, the field (with
 * its line) and what is wrong.
 */
export async function loadTemplate(
  nameOrPath: string,
  config: Pick<ControlPlaneConfig, "ATENDE_TEMPLATES_DIR">,
): Promise<LoadedTemplate> {
  const byPath =
    nameOrPath.includes("/") || nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml");
  if (!byPath && !/^[a-z][a-z0-9-]{0,63}$/.test(nameOrPath)) {
    throw new AtendeError("template_not_found", `"${nameOrPath}" is not a template name.`, {
      hint: `Use one of: ${(await listTemplates(config)).join(", ") || "(none found)"}, or a path to a .yaml file.`,
    });
  }
  const file = byPath
    ? path.resolve(nameOrPath)
    : path.join(config.ATENDE_TEMPLATES_DIR, `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new AtendeError(
      "template_not_found",
      `There is no template "${nameOrPath}" (${file} does not exist).`,
      {
        hint: `Use one of: ${(await listTemplates(config)).join(", ") || "(none found)"}, or a path to a .yaml file.`,
        data: { template: nameOrPath },
      },
    );
  }
  return { template: parseTemplate(text, file), file };
}

/** Template names available in the templates directory. */
export async function listTemplates(
  config: Pick<ControlPlaneConfig, "ATENDE_TEMPLATES_DIR">,
): Promise<string[]> {
  try {
    const entries = await readdir(config.ATENDE_TEMPLATES_DIR);
    return entries
      .filter((entry) => entry.endsWith(".yaml"))
      .map((entry) => entry.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

/** Parses and validates template text; `file` is used in error messages only. */
export function parseTemplate(text: string, file: string): Template {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw templateInvalid(
      file,
      document.errors.map((error) => {
        const where = lineCounter.linePos(error.pos[0]);
        return `line ${where.line}, column ${where.col}: YAML syntax: ${error.message.split("\n")[0]}`;
      }),
    );
  }
  if (!isMap(document.contents))
    throw templateInvalid(file, ["the file must hold a YAML mapping (key: value pairs)"]);

  const parsed = templateSchema.safeParse(document.toJS());
  if (!parsed.success) {
    throw templateInvalid(
      file,
      parsed.error.issues.map((issue) =>
        describeIssue(document, lineCounter, issue.path, issue.message),
      ),
    );
  }
  const problems = crossCheck(parsed.data).map(({ path: at, message }) =>
    describeIssue(document, lineCounter, at, message),
  );
  if (problems.length > 0) throw templateInvalid(file, problems);
  return parsed.data;
}

function describeIssue(
  document: Document,
  lineCounter: LineCounter,
  at: ReadonlyArray<PropertyKey>,
  rawMessage: string,
): string {
  const message = /received undefined$/.test(rawMessage) ? "is required" : rawMessage;
  const field = at.length === 0 ? "(top level)" : at.map(String).join(".");
  // Walk up to the nearest node that exists (a missing field has no node of its own).
  for (let depth = at.length; depth >= 0; depth--) {
    const node = document.getIn(at.slice(0, depth) as unknown[], true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node?.range) {
      const { line } = lineCounter.linePos(node.range[0]);
      return `${field} (line ${line}): ${message}`;
    }
  }
  return `${field}: ${message}`;
}

/** Rules that span fields: references, volumes, dependencies and the app service. */
function crossCheck(template: Template): Array<{ path: PropertyKey[]; message: string }> {
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  const services = Object.entries(template.services);
  if (!template.services.app)
    problems.push({ path: ["services"], message: 'must define an "app" service (the runtime)' });
  else if (!template.services.app.publish) {
    problems.push({
      path: ["services", "app"],
      message: "must publish a containerPort (the inbox)",
    });
  }
  for (const [role, service] of services) {
    if (role !== "app" && service.publish) {
      problems.push({
        path: ["services", role, "publish"],
        message: "only the app service may be published on the host",
      });
    }
    for (const [name, value] of Object.entries(service.env)) {
      for (const match of value.matchAll(REFERENCE)) {
        const reference = match[1] ?? "";
        const secret = reference.startsWith("secrets.")
          ? reference.slice("secrets.".length)
          : undefined;
        if (
          secret !== undefined ? !(secret in template.secrets) : !TENANT_REFERENCES.has(reference)
        ) {
          problems.push({
            path: ["services", role, "env", name],
            message: `unknown reference \${${reference}} (use \${secrets.<name>} for a declared secret, \${tenant.name} or \${tenant.url})`,
          });
        }
      }
    }
    service.mounts.forEach((mount, index) => {
      if (!(mount.volume in template.volumes)) {
        problems.push({
          path: ["services", role, "mounts", index, "volume"],
          message: `volume "${mount.volume}" is not declared under volumes`,
        });
      }
    });
    for (const dependency of service.dependsOn) {
      if (!(dependency in template.services) || dependency === role) {
        problems.push({
          path: ["services", role, "dependsOn"],
          message: `"${dependency}" is not another service of this template`,
        });
      }
    }
  }
  try {
    startOrder(template);
  } catch (error) {
    problems.push({ path: ["services"], message: (error as Error).message });
  }
  return problems;
}

import { parseArgs } from "node:util";
import type { Knex } from "knex";
import { z } from "zod";
import { WhatsappSettingsUpdateSchema } from "../../contracts/api.js";
import { whatsappSettingsUpdater } from "../commands/whatsappSettingsUpdater.js";
import type { Env } from "../env.js";
import {
  SETTINGS_ROW_ID,
  type WhatsappSettings,
  WhatsappSettingsStore,
} from "../integrations/whatsapp/WhatsappSettingsStore.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { presentWhatsappSettings } from "../presenters/presentWhatsappSettings.js";
import { type CommandOutput, EXIT_USAGE } from "./createAdmin.js";

const USAGE =
  "usage: node /app/main.js whatsapp-settings [--show]  (changes: a JSON object on standard input)";

/** Larger input than this is not a handful of settings: refused before parsing. */
export const MAX_INPUT_BYTES = 64 * 1024;

const FIELDS = [
  "phoneNumberId",
  "wabaId",
  "graphApiBaseUrl",
  "graphApiVersion",
  "accessToken",
  "appSecret",
  "verifyToken",
] as const;
type Field = (typeof FIELDS)[number];
const SECRET_FIELDS = ["accessToken", "appSecret", "verifyToken"] as const;
type SecretField = (typeof SECRET_FIELDS)[number];
const isSecret = (field: Field): field is SecretField =>
  (SECRET_FIELDS as readonly string[]).includes(field);
const SEALED_COLUMN: Record<SecretField, string> = {
  accessToken: "access_token_sealed",
  appSecret: "app_secret_sealed",
  verifyToken: "verify_token_sealed",
};
/** The ids identify the number itself: they can be replaced, not removed. */
const REQUIRED: readonly Field[] = ["phoneNumberId", "wabaId"];

/** The changes on standard input: a value sets a field, `null` clears it (or restores its default). */
const ChangesSchema = z
  .object(
    Object.fromEntries(FIELDS.map((field) => [field, z.string().nullable().optional()])) as Record<
      Field,
      z.ZodOptional<z.ZodNullable<z.ZodString>>
    >,
  )
  .strict();

/** One refused field, named as the API names it; the message never repeats the value. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * `whatsapp-settings`, run by the control plane with `docker exec` (never reachable over HTTP):
 * merges the changed fields read from standard input (never argv or env, which `docker inspect`
 * and `ps` show) into the stored WhatsApp settings, validates the result with the schema of
 * `PUT /api/settings/whatsapp` and saves it through `whatsappSettingsUpdater`, so the running app
 * picks it up without a restart. `--show` changes nothing. Prints one JSON line,
 * `{"changed":[…],"settings":{…}}` with secrets masked; on invalid input prints
 * `{"errors":[{field,message}]}` and exits 2, saving nothing.
 * @returns the exit status (0, or 2 for invalid usage or input); other failures throw
 */
export async function whatsappSettingsCommand(
  args: readonly string[],
  deps: { db: Knex; env: Pick<Env, "ENCRYPTION_KEY" | "PUBLIC_URL"> },
  input: string | undefined,
  output: CommandOutput,
): Promise<number> {
  const parsedArgs = parseWhatsappSettingsArgs(args);
  if (!parsedArgs.ok) {
    output.stderr(parsedArgs.message);
    return EXIT_USAGE;
  }
  const store = new WhatsappSettingsStore({ db: deps.db, encryptionKey: deps.env.ENCRYPTION_KEY });
  const print = (changed: Field[], settings: WhatsappSettings | undefined) => {
    const shown = presentWhatsappSettings(settings, deps.env.PUBLIC_URL);
    // An id not given yet is stored empty: shown as unset.
    if (shown.phoneNumberId === "") shown.phoneNumberId = null;
    if (shown.wabaId === "") shown.wabaId = null;
    output.stdout(JSON.stringify({ changed, settings: shown }));
  };
  if (parsedArgs.show) {
    print([], await store.load());
    return 0;
  }

  const changes = parseChanges(input);
  if (!changes.ok) return refuse(output, changes.errors);
  const stored = await store.load();
  const merged = mergeChanges(stored, changes.changes);
  if (!merged.ok) return refuse(output, merged.errors);
  if (merged.changed.length === 0) {
    print([], stored);
    return 0;
  }

  const { cleared, input: update } = merged;
  const otherChanges = merged.changed.some((field) => !cleared.includes(field as SecretField));
  await deps.db.transaction(async (trx) => {
    if (cleared.length === 0) return;
    await trx("whatsapp_settings")
      .where({ id: SETTINGS_ROW_ID })
      .update(Object.fromEntries(cleared.map((field) => [SEALED_COLUMN[field], null])));
    await ActivityLogEntry.record(trx, {
      action: "whatsappSettings.update",
      actorUserId: null,
      data: { via: "control-plane", secretsCleared: cleared },
    });
  });
  store.invalidate();
  const saved = otherChanges
    ? await whatsappSettingsUpdater({ db: deps.db, store, input: update, actorUserId: null })
    : await store.load();
  print(merged.changed, saved);
  return 0;
}

/** Parses `whatsapp-settings`'s arguments: only `--show`. */
export function parseWhatsappSettingsArgs(
  args: readonly string[],
): { ok: true; show: boolean } | { ok: false; message: string } {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { show: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    });
    return { ok: true, show: values.show === true };
  } catch (error) {
    return { ok: false, message: `whatsapp-settings: ${(error as Error).message}\n${USAGE}` };
  }
}

function refuse(output: CommandOutput, errors: FieldError[]): number {
  output.stdout(JSON.stringify({ errors }));
  output.stderr(
    `whatsapp-settings: ${errors.map((error) => `${error.field} ${error.message}`).join("; ")}`,
  );
  return EXIT_USAGE;
}

function parseChanges(
  input: string | undefined,
):
  | { ok: true; changes: Partial<Record<Field, string | null>> }
  | { ok: false; errors: FieldError[] } {
  const text = input?.trim() ?? "";
  if (text === "")
    return {
      ok: false,
      errors: [{ field: "input", message: "expects a JSON object on standard input" }],
    };
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES)
    return {
      ok: false,
      errors: [{ field: "input", message: `must be at most ${MAX_INPUT_BYTES} bytes` }],
    };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, errors: [{ field: "input", message: "is not valid JSON" }] };
  }
  const parsed = ChangesSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        field: String(
          issue.path[0] ?? (issue.code === "unrecognized_keys" ? issue.keys[0] : "input"),
        ),
        message:
          issue.code === "unrecognized_keys"
            ? "is not a WhatsApp setting"
            : "must be a string or null",
      })),
    };
  return { ok: true, changes: parsed.data };
}

/**
 * The stored settings with the changes applied, validated as `PUT /api/settings/whatsapp`
 * validates them: `input` is what to give the updater (secrets only when they change),
 * `cleared` the secrets to remove.
 */
function mergeChanges(
  stored: WhatsappSettings | undefined,
  changes: Partial<Record<Field, string | null>>,
):
  | {
      ok: true;
      changed: Field[];
      cleared: SecretField[];
      input: z.output<typeof WhatsappSettingsUpdateSchema>;
    }
  | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const changed: Field[] = [];
  const cleared: SecretField[] = [];
  const draft: Record<string, unknown> = {
    phoneNumberId: stored?.phoneNumberId,
    wabaId: stored?.wabaId,
    graphApiBaseUrl: stored?.graphApiBaseUrl,
    graphApiVersion: stored?.graphApiVersion,
  };
  for (const field of FIELDS) {
    const value = changes[field];
    if (value === undefined) continue;
    if (value === null) {
      if (REQUIRED.includes(field)) {
        errors.push({ field, message: "cannot be removed, only replaced by another value" });
      } else if (isSecret(field)) {
        if (stored?.[field] != null) {
          changed.push(field);
          cleared.push(field);
        }
      } else {
        // Back to the schema's default.
        if (draft[field] !== undefined) changed.push(field);
        draft[field] = undefined;
      }
      continue;
    }
    const checked = WhatsappSettingsUpdateSchema.shape[field].safeParse(value);
    if (!checked.success) {
      errors.push({ field, message: checked.error.issues[0]?.message ?? "is not valid" });
      continue;
    }
    const current = isSecret(field) ? stored?.[field] : draft[field];
    if (current === checked.data) continue;
    changed.push(field);
    draft[field] = checked.data;
  }
  if (errors.length > 0) return { ok: false, errors };
  // Each changed field passed the API's schema above. The ids may still be missing while the
  // control plane sets one key at a time: stored empty until given (the API shows them unset).
  const shape = WhatsappSettingsUpdateSchema.shape;
  const input: z.output<typeof WhatsappSettingsUpdateSchema> = {
    phoneNumberId: (draft.phoneNumberId as string | undefined) ?? "",
    wabaId: (draft.wabaId as string | undefined) ?? "",
    graphApiBaseUrl: shape.graphApiBaseUrl.parse(draft.graphApiBaseUrl),
    graphApiVersion: shape.graphApiVersion.parse(draft.graphApiVersion),
  };
  for (const field of SECRET_FIELDS)
    if (typeof draft[field] === "string") input[field] = draft[field] as string;
  return { ok: true, changed, cleared, input };
}

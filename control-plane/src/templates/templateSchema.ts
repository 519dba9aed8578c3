import { z } from "zod";

const identifier = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, "must be a camelCase identifier");
const roleName = z
  .string()
  .regex(
    /^[a-z][a-z0-9]{0,15}$/,
    "must be 1-16 lowercase letters or digits, starting with a letter",
  );
const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must be an UPPER_SNAKE_CASE variable name");

/** `10s`, `500ms`, `2m`: converted to nanoseconds for the Docker API. */
export const durationSchema = z
  .string()
  .regex(/^\d+(ms|s|m)$/, "must be a duration such as 500ms, 10s or 2m")
  .transform((value) => {
    const amount = Number.parseInt(value, 10);
    const unit = value.replace(/^\d+/, "");
    const ms = unit === "ms" ? amount : unit === "s" ? amount * 1000 : amount * 60_000;
    return ms * 1_000_000;
  });

/** `256m`, `1g`: converted to bytes. */
export const memorySchema = z
  .string()
  .regex(/^\d+[mg]$/, "must be a size such as 256m or 1g")
  .transform((value) => {
    const amount = Number.parseInt(value, 10);
    return value.endsWith("g") ? amount * 1024 ** 3 : amount * 1024 ** 2;
  })
  .refine((bytes) => bytes >= 16 * 1024 ** 2, "must be at least 16m");

const secretSchema = z.discriminatedUnion("generate", [
  z.object({ generate: z.literal("password"), length: z.number().int().min(16).max(128) }).strict(),
  z.object({ generate: z.literal("base64"), bytes: z.number().int().min(16).max(128) }).strict(),
]);

const healthcheckSchema = z
  .object({
    test: z
      .array(z.string().min(1))
      .min(2, "must be [CMD, …] or [CMD-SHELL, command]")
      .refine(
        (test) => test[0] === "CMD" || test[0] === "CMD-SHELL",
        "must start with CMD or CMD-SHELL",
      ),
    interval: durationSchema,
    timeout: durationSchema,
    retries: z.number().int().min(1).max(100),
    startPeriod: durationSchema,
  })
  .strict();

const serviceSchema = z
  .object({
    /** A catalogue name (runtime, mariadb, redis) or a full image reference `repo:tag`. */
    image: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._/:@-]*$/, "must be an image name such as runtime or repo/name:tag"),
    command: z.array(z.string()).optional(),
    dependsOn: z.array(roleName).default([]),
    publish: z
      .object({ containerPort: z.number().int().min(1).max(65535) })
      .strict()
      .optional(),
    env: z.record(envName, z.string()).default({}),
    mounts: z
      .array(
        z
          .object({
            volume: roleName,
            target: z.string().regex(/^\/\S*$/, "must be an absolute path"),
          })
          .strict(),
      )
      .default([]),
    resources: z.object({ memory: memorySchema, cpus: z.number().positive().max(64) }).strict(),
    // Required on every long-running service: health gating means nothing without one.
    healthcheck: healthcheckSchema,
  })
  .strict();

/** The YAML definition of a tenant's container set (templates/README.md documents it). */
export const templateSchema = z
  .object({
    schemaVersion: z.literal(1, "must be 1 (the only schema version this control plane knows)"),
    metadata: z
      .object({
        id: roleName,
        version: z.number().int().positive(),
        description: z.string().min(1),
      })
      .strict(),
    secrets: z.record(identifier, secretSchema).default({}),
    volumes: z.record(roleName, z.object({ description: z.string() }).strict()).default({}),
    services: z.record(roleName, serviceSchema),
  })
  .strict();

/** A validated template, with durations in ns and memory in bytes. */
export type Template = z.infer<typeof templateSchema>;
export type TemplateService = Template["services"][string];

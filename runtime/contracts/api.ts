import { z } from "zod";

/** The built-in roles every tenant has; ordered from most to least powerful. Admins may add
 * custom roles (contracts/permissions.ts). */
export const userRoles = ["admin", "manager", "agent"] as const;

/** A built-in role. */
export type UserRole = (typeof userRoles)[number];

/** An e-mail address as the runtime stores it: trimmed and lower-cased. */
export const EmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** Body of `POST /api/session`. */
export const SessionCreateSchema = z.object({
  email: EmailSchema,
  // Upper bound keeps a hostile client from making scrypt hash megabytes.
  password: z.string().min(1).max(1024),
  /** The authenticator code, for accounts with a second factor. */
  totpCode: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "must be the 6-digit code")
    .optional(),
});

/** Parsed body of `POST /api/session`. */
export type SessionCreateRequest = z.infer<typeof SessionCreateSchema>;

/** A user as the API shows it (never the password hash). */
export interface UserPayload {
  id: number;
  email: string;
  name: string;
  /** Role key: a built-in role (`UserRole`) or a custom one (`GET /api/roles`). */
  role: string;
  /** True after an administrator or `create-admin` set a one-time password. */
  mustChangePassword: boolean;
}

/** The one JSON shape every successful API request answers with. */
export interface ApiSuccess<T> {
  ok: true;
  data: T;
}

/** Graph API versions look like `v23.0`. */
export const GraphApiVersionSchema = z
  .string()
  .trim()
  .regex(/^v\d{1,3}\.\d{1,2}$/, "must look like v23.0");

// Secrets: printable, no whitespace inside (tokens, app secrets and verify tokens never have any).
const secret = z.string().trim().min(1).max(1024).regex(/^\S+$/, "must not contain spaces");
const numericId = z
  .string()
  .trim()
  .regex(/^\d{1,32}$/, "must be digits");

/**
 * Body of `PUT /api/settings/whatsapp`. Secrets are optional: after saving they are only ever
 * shown masked, so omitting one keeps the stored value.
 */
export const WhatsappSettingsUpdateSchema = z.object({
  phoneNumberId: numericId,
  wabaId: numericId,
  graphApiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .max(255)
    .transform((url) => url.replace(/\/+$/, ""))
    .default("https://graph.facebook.com"),
  graphApiVersion: GraphApiVersionSchema.default("v23.0"),
  accessToken: secret.optional(),
  appSecret: secret.optional(),
  verifyToken: secret.optional(),
});

/** Parsed body of `PUT /api/settings/whatsapp`. */
export type WhatsappSettingsUpdateRequest = z.infer<typeof WhatsappSettingsUpdateSchema>;

/** WhatsApp settings as the API shows them: secrets masked (`••••1234`) or null when unset. */
export interface WhatsappSettingsPayload {
  configured: boolean;
  phoneNumberId: string | null;
  wabaId: string | null;
  graphApiBaseUrl: string;
  graphApiVersion: string;
  accessToken: string | null;
  appSecret: string | null;
  verifyToken: string | null;
  /** The callback URL to paste in Meta's App Dashboard. */
  webhookUrl: string;
  updatedAt: string | null;
}

/** Result of `POST /api/settings/whatsapp/test`: whether Graph accepts the saved settings. */
export type WhatsappConnectionTestPayload =
  | {
      ok: true;
      /** As WhatsApp shows it, e.g. `+55 11 99999-0000`. */
      displayPhoneNumber: string | null;
      verifiedName: string | null;
      qualityRating: string | null;
    }
  | {
      ok: false;
      /** Meta's error code when Graph answered with one (190 token, 100 unknown id, …). */
      code: number | null;
      /** What is wrong, in words an admin can act on. */
      reason: string;
    };

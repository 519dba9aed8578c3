import { z } from "zod";
import { EmailSchema, type UserPayload } from "./api.js";
import { type Permission, RoleKeySchema } from "./permissions.js";

/**
 * Accounts API shapes, shared by the server and the browser: password change, log out
 * everywhere, and the admin's user management.
 */

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-rules.js";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/** Body of `PUT /api/me/password`. */
export const PasswordChangeSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().max(PASSWORD_MAX_LENGTH),
});
export type PasswordChangeRequest = z.infer<typeof PasswordChangeSchema>;

/** Body of `POST /api/me/totp` and `DELETE /api/me/totp`: the password, asked again. */
export const PasswordConfirmSchema = z.object({ password: z.string().min(1).max(1024) });
export type PasswordConfirmRequest = z.infer<typeof PasswordConfirmSchema>;

/** Body of `POST /api/me/totp/confirm`. */
export const TotpConfirmSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "must be the 6-digit code"),
});
export type TotpConfirmRequest = z.infer<typeof TotpConfirmSchema>;

/** Answer of `POST /api/me/totp`: shown once, for the authenticator app. */
export interface TotpEnrolmentPayload {
  secret: string;
  /** `otpauth://` URI (for a QR code). */
  uri: string;
}

/** A display name: printable, no control characters. */
const NameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(120, "must be at most 120 characters")
  .refine((value) => !/\p{Cc}/u.test(value), "must not contain control characters");

/** Body of `POST /api/users`. */
export const UserCreateSchema = z.object({
  email: EmailSchema,
  name: NameSchema,
  role: RoleKeySchema,
});
export type UserCreateRequest = z.infer<typeof UserCreateSchema>;

/** Body of `PATCH /api/users/:id`: any subset. */
export const UserUpdateSchema = z
  .object({
    name: NameSchema.optional(),
    role: RoleKeySchema.optional(),
    /** true disables the account and ends its sessions; false enables it again. */
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, "nothing to change");
export type UserUpdateRequest = z.infer<typeof UserUpdateSchema>;

/** `:id` of the user routes. */
export const UserIdParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/** A user as administrators see them in the user list. */
export interface ManagedUserPayload extends UserPayload {
  disabled: boolean;
  totpEnabled: boolean;
  /** Locked out after too many failed sign-ins (ends by itself, or an admin unlocks). */
  locked: boolean;
  createdAt: string;
}

/** Answer of creating a user or resetting a password: the one-time password, shown once. */
export interface OneTimePasswordPayload {
  user: ManagedUserPayload;
  oneTimePassword: string;
}

/** `GET /api/me`: the signed-in user and what their role allows (the UI hides the rest). */
export interface MePayload extends UserPayload {
  permissions: Permission[];
  /** Whether sign-in asks for an authenticator code. */
  totpEnabled: boolean;
}

/** Answer of `DELETE /api/me/sessions`. */
export interface SessionsEndedPayload {
  ended: number;
}

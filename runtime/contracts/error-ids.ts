/**
 * Every error id the runtime's HTTP API can answer with (`{ ok:false, error: <id> }`).
 * Shared with the browser so the inbox can map ids to messages without string guessing.
 */
export const errorIds = [
  "validation_error",
  "invalid_json",
  "payload_too_large",
  "unsupported_media_type",
  "cross_origin_request",
  "authentication_required",
  "invalid_credentials",
  "login_locked",
  "rate_limited",
  "totp_required",
  "password_change_required",
  "weak_password",
  "conflict",
  "forbidden",
  "invalid_signature",
  "whatsapp_not_configured",
  "whatsapp_window_closed",
  "consent_revoked",
  "media_rejected",
  "whatsapp_request_failed",
  "not_found",
  "not_ready",
  "service_unavailable",
  "internal_error",
] as const;

/** A stable, snake_case error identifier. */
export type ErrorId = (typeof errorIds)[number];

/** The one JSON shape every failed API request answers with. */
export interface ApiFailure {
  ok: false;
  error: ErrorId;
  status: number;
  message: string;
  data?: Record<string, unknown>;
}

import { AtendeError } from "@atende/control-plane";

/** What a tenant's app needs to talk to the emulator (the body of `PUT /api/settings/whatsapp`). */
export interface SandboxWhatsappSettings {
  phoneNumberId: string;
  wabaId: string;
  graphApiBaseUrl: string;
  graphApiVersion: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

/** `POST /api/settings/whatsapp/test` as the tenant reports it. */
export type ConnectionTestResult =
  | { ok: true; displayPhoneNumber: string | null; verifiedName: string | null }
  | { ok: false; code: number | null; reason: string };

const wiringFailed = (message: string, hint: string) =>
  new AtendeError("tenant_unhealthy", message, { hint });

/**
 * Talks to a tenant's own admin API over its published port, as its admin: the sandbox wires a
 * tenant the way an admin would on the settings screen, never by touching its database.
 */
export class TenantAdminClient {
  private cookie = "";

  constructor(private readonly baseUrl: string) {}

  /**
   * Signs in; a wrong password is the operator's problem to fix, so it says which variable to
   * set. Resolves with whether the admin must replace a one-time password before anything else.
   */
  async logIn(email: string, password: string): Promise<{ mustChangePassword: boolean }> {
    const response = await this.request("POST", "/api/session", { email, password });
    if (response.status === 401 || response.status === 400) {
      throw new AtendeError(
        "invalid_option",
        `Could not sign in to the tenant as ${email}: e-mail or password refused.`,
        {
          hint: "Set ATENDE_ADMIN_PASSWORD to that admin's current password (the one-time password `tenant create` printed, unless it was changed), or pass --admin-email for another admin.",
        },
      );
    }
    if (response.status !== 201) {
      throw wiringFailed(
        `The tenant answered ${response.status} when signing in.`,
        "Check `atende tenant show <name>` and its logs (`atende tenant logs <name>`).",
      );
    }
    this.takeCookie(response);
    const body = (await response.json()) as { data?: { mustChangePassword?: boolean } };
    return { mustChangePassword: body.data?.mustChangePassword === true };
  }

  /** Replaces the signed-in admin's password (`PUT /api/me/password`, as the inbox does). */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const response = await this.request("PUT", "/api/me/password", {
      currentPassword,
      newPassword,
    });
    if (response.status !== 200) {
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      throw new AtendeError(
        "invalid_option",
        `The tenant refused the new admin password: ${body.message ?? `HTTP ${response.status}`}`,
        { hint: "Choose another ATENDE_NEW_ADMIN_PASSWORD." },
      );
    }
    this.takeCookie(response);
  }

  private takeCookie(response: Response): void {
    const cookie = response.headers
      .getSetCookie()
      .map((line) => line.split(";")[0] ?? "")
      .find((pair) => pair.startsWith("atende_session="));
    if (cookie !== undefined) this.cookie = cookie;
  }

  /** Saves the WhatsApp settings (admins only). */
  async saveWhatsappSettings(settings: SandboxWhatsappSettings): Promise<void> {
    const response = await this.request("PUT", "/api/settings/whatsapp", settings);
    if (response.status === 403) {
      throw new AtendeError(
        "invalid_option",
        "That user may not change the WhatsApp settings: only admins may.",
        { hint: "Pass --admin-email of an admin of this tenant." },
      );
    }
    if (response.status !== 200) {
      throw wiringFailed(
        `The tenant refused the WhatsApp settings (HTTP ${response.status}): ${await response.text()}`,
        "Check the tenant's version supports WhatsApp settings (`atende tenant show <name>`).",
      );
    }
  }

  /** The settings screen's "test connection": the tenant's app calls the Graph API it was given. */
  async testConnection(): Promise<ConnectionTestResult> {
    const response = await this.request("POST", "/api/settings/whatsapp/test", {});
    if (response.status !== 200) {
      return { ok: false, code: null, reason: `the tenant answered HTTP ${response.status}` };
    }
    const body = (await response.json()) as { data: ConnectionTestResult };
    return body.data;
  }

  private async request(method: string, path: string, body: unknown): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(this.cookie ? { cookie: this.cookie } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw wiringFailed(
        `Could not reach the tenant at ${this.baseUrl}: ${(error as Error).message}.`,
        "Is it running? `atende tenant start <name>`.",
      );
    }
  }
}

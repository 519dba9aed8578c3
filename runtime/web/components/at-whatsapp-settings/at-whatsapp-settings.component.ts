import { html, nothing } from "lit";
import { state } from "lit/decorators.js";
import type {
  WhatsappConnectionTestPayload,
  WhatsappSettingsPayload,
} from "../../../contracts/api.js";
import { ApiError } from "../../api/client.js";
import {
  fetchWhatsappSettings,
  saveWhatsappSettings,
  testWhatsappConnection,
} from "../../api/whatsapp.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { connectionFailureText, errorMessage, whatsappSettingsText } from "../../messages.js";
import styles from "./at-whatsapp-settings.styles.js";
import "../../events/at-whatsapp-settings-saved.js";

type PlainField = "phoneNumberId" | "wabaId" | "graphApiBaseUrl" | "graphApiVersion";
type SecretField = "accessToken" | "appSecret" | "verifyToken";

const plainFields: readonly PlainField[] = [
  "phoneNumberId",
  "wabaId",
  "graphApiBaseUrl",
  "graphApiVersion",
];
const secretFields: readonly SecretField[] = ["accessToken", "appSecret", "verifyToken"];

/**
 * @summary The WhatsApp connection settings (admins only): ids, Graph API address and version,
 *   and the three secrets, which are never shown after saving — only "saved, ends in ••••1234";
 *   an empty secret field keeps the saved value. "Test connection" asks Graph with the saved
 *   settings and shows the answer.
 *
 * @event at-whatsapp-settings-saved - The settings were saved.
 *
 * @csspart base - The form.
 */
export default class AtWhatsappSettings extends AtendeElement {
  static override styles = styles;

  /** The settings as last loaded or saved (secrets masked by the API). */
  @state() private settings?: WhatsappSettingsPayload;
  @state() private busy: "" | "saving" | "testing" = "";
  @state() private notice = "";
  @state() private failure = "";
  @state() private fieldErrors: Partial<Record<PlainField | SecretField, string>> = {};
  @state() private testResult?: WhatsappConnectionTestPayload;

  private readonly text = whatsappSettingsText();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.settings = await fetchWhatsappSettings();
    } catch (error) {
      this.failure =
        error instanceof ApiError ? this.text.loadFailed : errorMessage("network_error");
    }
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy !== "") return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? "").trim();
    const secrets: Partial<Record<SecretField, string>> = {};
    for (const field of secretFields) {
      // Empty keeps the saved secret: the API never sends it back, so there is nothing to show.
      if (value(field) !== "") secrets[field] = value(field);
    }
    this.busy = "saving";
    this.notice = "";
    this.failure = "";
    this.fieldErrors = {};
    this.testResult = undefined;
    try {
      this.settings = await saveWhatsappSettings({
        phoneNumberId: value("phoneNumberId"),
        wabaId: value("wabaId"),
        graphApiBaseUrl: value("graphApiBaseUrl"),
        graphApiVersion: value("graphApiVersion"),
        ...secrets,
      });
      for (const field of secretFields) {
        const input = form.elements.namedItem(field);
        if (input instanceof HTMLInputElement) input.value = "";
      }
      this.notice = this.text.saved;
      this.emit("at-whatsapp-settings-saved", { settings: this.settings });
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.busy = "";
    }
  }

  private showFailure(error: unknown): void {
    if (error instanceof ApiError && error.id === "validation_error") {
      const field = error.data?.field;
      if (
        typeof field === "string" &&
        [...plainFields, ...secretFields].includes(field as PlainField)
      ) {
        this.fieldErrors = { [field]: error.message };
        this.failure = this.text.invalidField(this.text[field as PlainField]);
        this.renderRoot.querySelector<HTMLInputElement>(`#${field}`)?.focus();
        return;
      }
    }
    this.failure = errorMessage(error instanceof ApiError ? error.id : "network_error");
  }

  private async handleTest(): Promise<void> {
    if (this.busy !== "") return;
    this.busy = "testing";
    this.testResult = undefined;
    this.notice = "";
    this.failure = "";
    try {
      this.testResult = await testWhatsappConnection();
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.busy = "";
    }
  }

  private renderTestResult() {
    const result = this.testResult;
    if (result === undefined) return nothing;
    if (result.ok) {
      return html`<p class="notice" data-test-result="ok">
        ${this.text.testOk(result.verifiedName ?? "—", result.displayPhoneNumber ?? "—")}
      </p>`;
    }
    return html`<p class="notice notice--error" data-test-result="failed">
      ${this.text.testFailed(connectionFailureText(result.code, result.reason))}
    </p>`;
  }

  private renderPlain(field: PlainField, options: { inputmode?: string; type?: string } = {}) {
    const error = this.fieldErrors[field] ?? "";
    return html`
      <div class="field">
        <label class="label" for=${field}>${this.text[field]}</label>
        <input
          class="input"
          id=${field}
          name=${field}
          type=${options.type ?? "text"}
          inputmode=${options.inputmode ?? "text"}
          autocomplete="off"
          spellcheck="false"
          required
          .value=${(this.settings?.[field] as string | null | undefined) ?? ""}
          aria-invalid=${error === "" ? "false" : "true"}
          aria-describedby=${`${field}-error`}
        />
        <p class="error" id=${`${field}-error`}>${error}</p>
      </div>
    `;
  }

  private renderSecret(field: SecretField) {
    const saved = this.settings?.[field] ?? null;
    const error = this.fieldErrors[field] ?? "";
    return html`
      <div class="field">
        <label class="label" for=${field}>${this.text[field]}</label>
        <input
          class="input"
          id=${field}
          name=${field}
          type="password"
          autocomplete="new-password"
          spellcheck="false"
          aria-invalid=${error === "" ? "false" : "true"}
          aria-describedby=${`${field}-hint ${field}-error`}
        />
        <p class="hint" id=${`${field}-hint`} data-secret-hint=${field}>
          ${saved === null ? this.text.secretMissing : this.text.secretSaved(saved)}
        </p>
        <p class="error" id=${`${field}-error`}>${error}</p>
      </div>
    `;
  }

  override render() {
    return html`
      <form part="base" class="card" @submit=${this.handleSubmit} aria-labelledby="connection-heading" novalidate>
        <h2 class="card__heading" id="connection-heading">${this.text.connectionHeading}</h2>
        <div class="grid">
          ${this.renderPlain("phoneNumberId", { inputmode: "numeric" })}
          ${this.renderPlain("wabaId", { inputmode: "numeric" })}
          ${this.renderPlain("graphApiBaseUrl", { type: "url" })}
          ${this.renderPlain("graphApiVersion")}
        </div>
        <div class="grid">${secretFields.map((field) => this.renderSecret(field))}</div>
        ${
          this.settings === undefined
            ? nothing
            : html`<div class="field">
                <label class="label" for="webhookUrl">${this.text.webhookUrl}</label>
                <input class="input" id="webhookUrl" type="text" readonly .value=${this.settings.webhookUrl} />
              </div>`
        }
        <div class="actions">
          <button class="button button--primary" type="submit" ?disabled=${this.busy !== ""}
            aria-busy=${this.busy === "saving" ? "true" : "false"}>
            ${this.busy === "saving" ? this.text.saving : this.text.save}
          </button>
          <button class="button" type="button" @click=${this.handleTest} ?disabled=${this.busy !== ""}
            aria-busy=${this.busy === "testing" ? "true" : "false"}>
            ${this.busy === "testing" ? this.text.testing : this.text.test}
          </button>
        </div>
        <div role="status" aria-live="polite">
          <p class="notice">${this.notice}</p>
          ${this.renderTestResult()}
        </div>
        <p class="notice notice--error" role="alert">${this.failure}</p>
      </form>
    `;
  }
}

import { html, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import type { StaffRolePayload, TenantConfigEntryPayload } from "../../../src/contracts/api.js";
import { ApiError, api } from "../../api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorText, strings } from "../../strings.js";
import styles from "./at-tenant-settings.styles.js";

/** What happened to one row after the last save or unset. */
interface RowState {
  busy?: boolean;
  error?: string;
  note?: string;
}

/**
 * @summary A tenant's settings (`atende tenant config`): every key with its description and
 * current value (secrets only masked), and, for operators, a field to change or unset each one.
 * Secrets are typed in password fields, sent once and never shown back; the API's refusal is
 * shown under the field it concerns.
 *
 * @csspart base - The section.
 */
export default class AtTenantSettings extends AtendeElement {
  static override styles = styles;

  /** The tenant's name. */
  @property() tenant = "";

  /** The signed-in staff member's role: viewers only read. */
  @property({ attribute: "staff-role" }) staffRole: StaffRolePayload = "viewer";

  @state() private settings: TenantConfigEntryPayload[] = [];
  @state() private drafts: Record<string, string> = {};
  @state() private rows: Record<string, RowState> = {};
  @state() private failure = "";

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("tenant")) {
      this.drafts = {};
      this.rows = {};
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const name = this.tenant;
    if (name === "") return;
    try {
      const config = await api.config(name);
      if (this.tenant === name) {
        this.settings = config.settings;
        this.failure = "";
      }
    } catch (error) {
      this.failure = this.describe(error);
    }
  }

  private describe(error: unknown): string {
    return error instanceof ApiError
      ? errorText(error.id, error.message)
      : errorText("network_error");
  }

  private setRow(key: string, row: RowState): void {
    this.rows = { ...this.rows, [key]: row };
  }

  private async apply(key: string, value: string | undefined): Promise<void> {
    this.setRow(key, { busy: true });
    try {
      const result = await api.configure(this.tenant, key, value);
      this.settings = this.settings.map((entry) => (entry.key === key ? result.entry : entry));
      // A secret typed once is dropped from memory as soon as it is applied.
      const { [key]: _applied, ...others } = this.drafts;
      this.drafts = others;
      this.setRow(key, {
        note: result.changed ? strings.settingSaved(result.recreated) : strings.settingUnchanged,
      });
    } catch (error) {
      this.setRow(key, { error: this.describe(error) });
    }
  }

  private renderEditor(entry: TenantConfigEntryPayload) {
    const row = this.rows[entry.key] ?? {};
    const draft = this.drafts[entry.key] ?? "";
    return html`
      <form data-key=${entry.key}
        @submit=${(event: SubmitEvent) => {
          event.preventDefault();
          void this.apply(entry.key, draft);
        }}>
        <input
          name="value"
          aria-label=${`${strings.settingNew}: ${entry.key}`}
          type=${entry.secret ? "password" : "text"}
          autocomplete=${entry.secret ? "new-password" : "off"}
          placeholder=${entry.secret ? strings.settingSecretPlaceholder : (entry.value ?? "")}
          .value=${draft}
          ?disabled=${row.busy === true}
          @input=${(event: InputEvent) => {
            this.drafts = {
              ...this.drafts,
              [entry.key]: (event.target as HTMLInputElement).value,
            };
          }} />
        <button type="submit" ?disabled=${row.busy === true || draft.trim() === ""}>
          ${row.busy ? strings.settingSaving : strings.settingSave}
        </button>
        ${
          entry.value !== null
            ? html`<button type="button" class="danger" ?disabled=${row.busy === true}
                @click=${() => this.apply(entry.key, undefined)}>${strings.settingUnset}</button>`
            : nothing
        }
      </form>
      ${row.error ? html`<p class="field-error" role="alert">${row.error}</p>` : nothing}
      ${row.note ? html`<p class="field-note muted" role="status">${row.note}</p>` : nothing}
    `;
  }

  override render() {
    const canOperate = this.staffRole !== "viewer";
    const unavailable = this.settings.find((entry) => entry.unavailable)?.unavailable;
    return html`
      <section part="base" aria-label=${strings.settings}>
        <h3>${strings.settings}</h3>
        <p class="muted">${strings.settingsExplain}</p>
        <p class="error" role="alert">${this.failure}</p>
        ${unavailable ? html`<p class="muted" data-unavailable>${strings.settingsUnavailable(unavailable)}</p>` : nothing}
        <table>
          <thead><tr>
            <th>${strings.settingKey}</th><th>${strings.settingValue}</th>
            ${canOperate ? html`<th>${strings.settingNew}</th>` : nothing}
          </tr></thead>
          <tbody>
            ${this.settings.map(
              (entry) => html`<tr data-setting=${entry.key}>
                <td class="key"><code>${entry.key}</code><span class="description muted">${entry.description}</span></td>
                <td class="value">${
                  entry.value ??
                  html`<span class="muted">${entry.storedIn === "tenant" ? strings.settingNotSet : strings.settingDefault}</span>`
                }</td>
                ${canOperate ? html`<td>${this.renderEditor(entry)}</td>` : nothing}
              </tr>`,
            )}
          </tbody>
        </table>
      </section>
    `;
  }
}

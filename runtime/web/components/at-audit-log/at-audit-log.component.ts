import { html } from "lit";
import { state } from "lit/decorators.js";
import type { AuditEntryPayload } from "../../../contracts/audit.js";
import { auditExportUrl, readAuditLog } from "../../api/accounts.js";
import { ApiError } from "../../api/client.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorMessage } from "../../messages.js";
import styles from "./at-audit-log.styles.js";

/** The filters the form offers, as the API names them. */
type Filters = { action: string; actorUserId: string; ip: string; from: string; to: string };

const EMPTY: Filters = { action: "", actorUserId: "", ip: "", from: "", to: "" };

/**
 * @summary The activity log for admins: who did what, when, from which address and device,
 *   newest first, with filters, "older entries" paging and a CSV export of the same filters.
 *
 * @csspart base - The section.
 */
export default class AtAuditLog extends AtendeElement {
  static override styles = styles;

  @state() private entries: AuditEntryPayload[] = [];
  @state() private nextBefore: number | null = null;
  @state() private filters: Filters = { ...EMPTY };
  @state() private failure = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(false);
  }

  /** The filters as the API takes them (dates in ISO, with the browser's time zone). */
  private query(): Record<string, string> {
    const query: Record<string, string> = { ...this.filters };
    if (query.from) query.from = new Date(query.from).toISOString();
    if (query.to) query.to = new Date(query.to).toISOString();
    return query;
  }

  private async load(more: boolean): Promise<void> {
    try {
      const query = this.query();
      if (more && this.nextBefore !== null) query.before = String(this.nextBefore);
      const page = await readAuditLog(query);
      this.entries = more ? [...this.entries, ...page.entries] : page.entries;
      this.nextBefore = page.nextBefore;
      this.failure = "";
    } catch (error) {
      this.failure =
        error instanceof ApiError && error.id === "validation_error"
          ? error.message
          : errorMessage(error instanceof ApiError ? error.id : "network_error");
    }
  }

  private handleFilter(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.filters = Object.fromEntries(
      Object.keys(EMPTY).map((key) => [key, String(form.get(key) ?? "").trim()]),
    ) as Filters;
    void this.load(false);
  }

  override render() {
    return html`
      <section part="base" class="card" aria-label="Registro de atividades">
        <form class="card__filters" @submit=${this.handleFilter}>
          <label>Ação <input name="action" placeholder="ex.: sessions. ou users.create" /></label>
          <label>ID do usuário <input name="actorUserId" inputmode="numeric" /></label>
          <label>IP <input name="ip" /></label>
          <label>De <input name="from" type="datetime-local" /></label>
          <label>Até <input name="to" type="datetime-local" /></label>
          <button type="submit">Filtrar</button>
          <a class="audit__export" href=${auditExportUrl(this.query())} download>Exportar CSV</a>
        </form>
        <p class="card__error" role="alert">${this.failure}</p>
        <table class="card__table card__table--dense">
          <thead>
            <tr>
              <th scope="col">Quando</th><th scope="col">Ação</th><th scope="col">Quem</th>
              <th scope="col">IP</th><th scope="col">Dispositivo</th><th scope="col">Detalhes</th>
            </tr>
          </thead>
          <tbody>
            ${this.entries.map(
              (entry) => html`<tr>
                <td>${new Date(entry.at).toLocaleString("pt-BR")}</td>
                <td><code>${entry.action}</code></td>
                <td>${entry.actor === null ? "—" : `${entry.actor.name} <${entry.actor.email}>`}</td>
                <td>${entry.ip ?? "—"}</td>
                <td class="audit__agent">${entry.userAgent ?? "—"}</td>
                <td><code class="audit__data">${entry.data === null ? "" : JSON.stringify(entry.data)}</code></td>
              </tr>`,
            )}
          </tbody>
        </table>
        ${
          this.nextBefore === null
            ? ""
            : html`<button type="button" @click=${() => this.load(true)}>Mais antigas</button>`
        }
      </section>
    `;
  }
}

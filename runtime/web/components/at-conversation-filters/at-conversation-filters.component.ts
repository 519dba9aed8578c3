import { html } from "lit";
import { property } from "lit/decorators.js";
import {
  type ConversationStatus,
  conversationStatuses,
} from "../../../contracts/conversation-status.js";
import type { ConversationFilters } from "../../events/at-conversation-filter-change.js";
import { AtendeElement } from "../../internal/atende-element.js";
import styles from "./at-conversation-filters.styles.js";
import { conversationFiltersText } from "./at-conversation-filters.texts.js";
import "../../events/at-conversation-filter-change.js";

/** How long the search waits for the agent to stop typing. */
const SEARCH_DEBOUNCE_MS = 300;

/**
 * @summary The conversation list's filters: mine / unassigned / all (toggle buttons), a status
 *   select and a search box (name, number or message text, sent 300 ms after the last key).
 *
 * @event at-conversation-filter-change - The agent changed a filter (the search, debounced).
 *
 * @csspart base - The filter bar.
 */
export default class AtConversationFilters extends AtendeElement {
  static override styles = styles;

  /** The filters in force. */
  @property({ attribute: false }) filters: ConversationFilters = {
    view: "all",
    status: undefined,
    q: "",
  };

  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private change(change: Partial<ConversationFilters>): void {
    this.filters = { ...this.filters, ...change };
    this.emit("at-conversation-filter-change", this.filters);
  }

  private handleSearch(event: Event): void {
    const q = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      if (q.trim() !== this.filters.q.trim()) this.change({ q });
    }, SEARCH_DEBOUNCE_MS);
  }

  override render() {
    const text = conversationFiltersText();
    const views = ["mine", "unassigned", "all"] as const;
    return html`
      <div part="base" class="filters">
        <div class="filters__views" role="group" aria-label=${text.views}>
          ${views.map(
            (view) => html`<button
              type="button"
              class="filters__view"
              aria-pressed=${this.filters.view === view ? "true" : "false"}
              @click=${() => this.filters.view !== view && this.change({ view })}
            >
              ${text[view]}
            </button>`,
          )}
        </div>
        <div class="filters__row">
          <label class="filters__label">
            <span class="visually-hidden">${text.status}</span>
            <select
              class="filters__status"
              @change=${(event: Event) => {
                const value = (event.target as HTMLSelectElement).value;
                this.change({ status: value === "" ? undefined : (value as ConversationStatus) });
              }}
            >
              <option value="" ?selected=${this.filters.status === undefined}>${text.anyStatus}</option>
              ${conversationStatuses.map(
                (status) =>
                  html`<option value=${status} ?selected=${this.filters.status === status}>
                    ${text.statuses[status]}
                  </option>`,
              )}
            </select>
          </label>
          <label class="filters__label filters__label--grow">
            <span class="visually-hidden">${text.search}</span>
            <input
              class="filters__search"
              type="search"
              maxlength="100"
              placeholder=${text.search}
              .value=${this.filters.q}
              @input=${this.handleSearch}
            />
          </label>
        </div>
      </div>
    `;
  }
}

import { html, nothing } from "lit";
import { property } from "lit/decorators.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { strings } from "../../strings.js";
import { badgeClass } from "../../styles/component.styles.js";
import styles from "./at-operation-progress.styles.js";

/** What the dashboard knows of one operation from its Socket.IO events. */
export interface OperationProgress {
  operationId: string;
  tenant: string;
  kind: string;
  status: "running" | "succeeded" | "failed";
  steps: Array<{ id: string; title: string; state: string; durationMs?: number; note?: string }>;
  error?: string;
}

const MARK: Record<string, string> = {
  pending: "○",
  started: "◔",
  succeeded: "✔",
  skipped: "↷",
  failed: "✖",
};

/**
 * @summary Live steps of operations started through the API: the same steps the CLI shows.
 *
 * @csspart base - The list of operations.
 */
export default class AtOperationProgress extends AtendeElement {
  static override styles = styles;

  /** Operations to show, newest first. */
  @property({ attribute: false }) operations: OperationProgress[] = [];

  override render() {
    if (this.operations.length === 0) return nothing;
    return html`
      <section part="base" aria-live="polite" aria-label=${strings.running}>
        ${this.operations.map(
          (operation) => html`
            <article data-operation=${operation.operationId}>
              <strong>${operation.kind} ${operation.tenant}</strong>
              <span class=${badgeClass(operation.status)}>${operation.status}</span>
              <ol>
                ${operation.steps.map(
                  (step) => html`<li data-state=${step.state}>
                    ${MARK[step.state] ?? ""} ${step.title}
                    ${step.durationMs === undefined ? nothing : html`<span class="muted">(${(step.durationMs / 1000).toFixed(1)} s)</span>`}
                    ${step.note ? html`<span class="muted">— ${step.note}</span>` : nothing}
                  </li>`,
                )}
              </ol>
              ${operation.error ? html`<p class="error">${operation.error}</p>` : nothing}
            </article>
          `,
        )}
      </section>
    `;
  }
}

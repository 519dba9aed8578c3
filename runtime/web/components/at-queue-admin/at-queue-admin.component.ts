import { html, nothing } from "lit";
import { state } from "lit/decorators.js";
import type { AgentDirectoryEntry, QueuePayload } from "../../../contracts/conversations.js";
import { ApiError } from "../../api/client.js";
import { listAgents } from "../../api/inbox.js";
import { createQueue, deleteQueue, listQueues, updateQueue } from "../../api/queues.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorMessage, roleLabel } from "../../messages.js";
import styles from "./at-queue-admin.styles.js";
import { queueAdminText } from "./at-queue-admin.texts.js";

/**
 * @summary Queue (team) management for user managers: the queues with their members, a form to
 *   create one with its members (checkboxes of the people who work conversations), and per queue:
 *   rename and change members, or delete after a confirmation (its waiting conversations go back
 *   to the general queue). A duplicate name is refused with its own message.
 *
 * @csspart base - The section.
 */
export default class AtQueueAdmin extends AtendeElement {
  static override styles = styles;

  @state() private queues: QueuePayload[] = [];
  @state() private agents: AgentDirectoryEntry[] = [];
  @state() private agentsFailed = false;
  @state() private loaded = false;
  @state() private failure = "";
  @state() private notice = "";
  @state() private busy = false;
  /** The queue whose edit form is open. */
  @state() private editingId: number | undefined;
  /** The queue whose deletion waits for a confirmation. */
  @state() private confirmingId: number | undefined;

  private readonly text = queueAdminText();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const [queues, agents] = await Promise.allSettled([listQueues(), listAgents()]);
    if (queues.status === "fulfilled") this.queues = queues.value;
    else this.failure = this.text.loadFailed;
    this.agentsFailed = agents.status === "rejected";
    if (agents.status === "fulfilled") {
      this.agents = [...agents.value].sort((left, right) => left.name.localeCompare(right.name));
    }
    this.loaded = true;
  }

  /** Runs a change, then says how it went and reloads the list. */
  private async act(action: () => Promise<string>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.failure = "";
    this.notice = "";
    try {
      this.notice = await action();
      await this.load();
      return true;
    } catch (error) {
      this.failure = this.describe(error);
      if (error instanceof ApiError && error.id === "not_found") {
        this.editingId = undefined;
        this.confirmingId = undefined;
        await this.load();
      }
      return false;
    } finally {
      this.busy = false;
    }
  }

  private describe(error: unknown): string {
    if (!(error instanceof ApiError)) return errorMessage("network_error");
    if (error.id === "conflict") return this.text.duplicate;
    if (error.id === "validation_error") return this.text.invalid;
    if (error.id === "not_found") return this.text.gone;
    return errorMessage(error.id);
  }

  /** The name and checked members of a queue form. */
  private readForm(form: HTMLFormElement): { name: string; memberUserIds?: number[] } {
    const data = new FormData(form);
    const name = String(data.get("name") ?? "");
    // Without the directory the members are left as they are.
    if (this.agentsFailed) return { name };
    return { name, memberUserIds: data.getAll("member").map((value) => Number(value)) };
  }

  private async handleCreate(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = this.readForm(form);
    const done = await this.act(async () => this.text.created((await createQueue(input)).name));
    if (done) form.reset();
  }

  private async handleSave(event: SubmitEvent, queue: QueuePayload): Promise<void> {
    event.preventDefault();
    const input = this.readForm(event.target as HTMLFormElement);
    // Members the directory does not list (disabled, or no longer working conversations) have no
    // checkbox: unticking nothing must not remove them.
    const listed = new Set(this.agents.map((agent) => agent.id));
    input.memberUserIds?.push(...queue.memberUserIds.filter((id) => !listed.has(id)));
    const done = await this.act(async () =>
      this.text.saved((await updateQueue(queue.id, input)).name),
    );
    if (done) this.editingId = undefined;
  }

  private async handleDelete(queue: QueuePayload): Promise<void> {
    const done = await this.act(async () => {
      await deleteQueue(queue.id);
      return this.text.deleted(queue.name);
    });
    if (done) this.confirmingId = undefined;
  }

  private memberNames(queue: QueuePayload): string {
    if (queue.memberUserIds.length === 0) return this.text.noMembers;
    const names = new Map(this.agents.map((agent) => [agent.id, agent.name]));
    return queue.memberUserIds
      .map((id) => names.get(id) ?? this.text.unknownUser(id))
      .sort((left, right) => left.localeCompare(right))
      .join(", ");
  }

  private renderMembers(checked: readonly number[]) {
    const t = this.text;
    if (this.agentsFailed) return html`<p class="card__error">${t.agentsFailed}</p>`;
    return html`<fieldset class="fieldset">
      <legend>${t.members}</legend>
      ${this.agents.length === 0 ? html`<p class="hint">${t.noAgents}</p>` : nothing}
      <div class="queues__members">
        ${this.agents.map(
          (agent) => html`<label class="queues__member">
            <input
              type="checkbox"
              name="member"
              value=${agent.id}
              .checked=${checked.includes(agent.id)}
            />
            <span>${agent.name}</span>
            <span class="queues__role">${roleLabel(agent.role)}</span>
          </label>`,
        )}
      </div>
    </fieldset>`;
  }

  private renderEdit(queue: QueuePayload) {
    const t = this.text;
    return html`<tr>
      <td colspan="3">
        <form
          class="queues__form"
          aria-label=${t.editing(queue.name)}
          @submit=${(event: SubmitEvent) => this.handleSave(event, queue)}
        >
          <label class="field">
            <span class="label">${t.name}</span>
            <input class="input" name="name" required maxlength="80" .value=${queue.name} />
          </label>
          ${this.renderMembers(queue.memberUserIds)}
          <div class="actions">
            <button class="button button--primary" type="submit" ?disabled=${this.busy}>${t.save}</button>
            <button class="button" type="button" @click=${() => {
              this.editingId = undefined;
            }}>${t.cancel}</button>
          </div>
        </form>
      </td>
    </tr>`;
  }

  private renderRow(queue: QueuePayload) {
    const t = this.text;
    if (this.editingId === queue.id) return this.renderEdit(queue);
    const confirming = this.confirmingId === queue.id;
    return html`<tr>
      <td class="queues__name">${queue.name}</td>
      <td>${this.memberNames(queue)}</td>
      <td>
        ${
          confirming
            ? html`<p class="queues__confirm" role="alert">
                <span>${t.confirmDelete(queue.name)}</span>
                <button
                  class="button button--danger button--filled"
                  type="button"
                  ?disabled=${this.busy}
                  @click=${() => this.handleDelete(queue)}
                >${t.delete}</button>
                <button class="button" type="button" @click=${() => {
                  this.confirmingId = undefined;
                }}>${t.cancel}</button>
              </p>`
            : html`<div class="queues__actions">
                <button
                  class="button"
                  type="button"
                  aria-label=${t.editLabel(queue.name)}
                  ?disabled=${this.busy}
                  @click=${() => {
                    this.editingId = queue.id;
                    this.confirmingId = undefined;
                  }}
                >${t.edit}</button>
                <button
                  class="button button--danger"
                  type="button"
                  aria-label=${t.deleteLabel(queue.name)}
                  ?disabled=${this.busy}
                  @click=${() => {
                    this.confirmingId = queue.id;
                    this.editingId = undefined;
                  }}
                >${t.delete}</button>
              </div>`
        }
      </td>
    </tr>`;
  }

  override render() {
    const t = this.text;
    return html`
      <section part="base" class="card" aria-label=${t.title}>
        <p class="queues__intro">${t.intro}</p>
        <p class="card__error" role="alert">${this.failure}</p>
        <p class="notice" role="status">${this.notice}</p>
        ${
          this.loaded && this.queues.length === 0
            ? html`<p class="hint">${t.noQueues}</p>`
            : html`<table class="card__table">
                <thead>
                  <tr><th scope="col">${t.name}</th><th scope="col">${t.members}</th><th scope="col">${t.actions}</th></tr>
                </thead>
                <tbody>
                  ${this.queues.map((queue) => this.renderRow(queue))}
                </tbody>
              </table>`
        }
        <form class="queues__form" aria-label=${t.add} @submit=${this.handleCreate}>
          <h3 class="queues__subtitle">${t.add}</h3>
          <label class="field">
            <span class="label">${t.name}</span>
            <input class="input" name="name" required maxlength="80" />
          </label>
          ${this.renderMembers([])}
          <div class="actions">
            <button class="button button--primary" type="submit" ?disabled=${this.busy}>${t.create}</button>
          </div>
        </form>
      </section>
    `;
  }
}

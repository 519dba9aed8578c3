import { html } from "lit";
import { property, state } from "lit/decorators.js";
import type { MePayload } from "../../../contracts/accounts.js";
import type {
  AgentDirectoryEntry,
  ConversationStatus,
  ConversationSummaryPayload,
  QueuePayload,
} from "../../../contracts/conversations.js";
import { AtendeElement } from "../../internal/atende-element.js";
import styles from "./at-conversation-actions.styles.js";
import { conversationActionsText } from "./at-conversation-actions.texts.js";
import "../../events/at-conversation-assign.js";
import "../../events/at-conversation-claim.js";
import "../../events/at-conversation-status-change.js";

/** The statuses a conversation can be moved to from each status, in the order of the buttons. */
const nextStatuses: Record<ConversationStatus, readonly ConversationStatus[]> = {
  open: ["resolved", "pending"],
  pending: ["resolved", "open"],
  resolved: ["open"],
};

/** The text of the button that moves a conversation to a status. */
const statusActions = {
  open: "reopen",
  pending: "pending",
  resolved: "resolve",
} as const satisfies Record<ConversationStatus, string>;

/**
 * @summary What can be done with the open conversation: who has it (with an online dot), take it
 *   when it is unassigned, transfer it to an agent or a queue (agents listed with their
 *   presence), release it, resolve, reopen or set it pending. Controls the user may not use are
 *   not shown: transferring needs `conversations.assign`, except for the agent who holds it.
 *
 * @event at-conversation-claim - The user takes the conversation.
 * @event at-conversation-assign - The user transfers or releases it.
 * @event at-conversation-status-change - The user resolves, reopens or sets it pending.
 *
 * @csspart base - The group of controls.
 */
export default class AtConversationActions extends AtendeElement {
  static override styles = styles;

  /** The open conversation. */
  @property({ attribute: false }) conversation?: ConversationSummaryPayload;

  /** The signed-in user and their permissions. */
  @property({ attribute: false }) user?: MePayload;

  /** Agents a conversation can be given to, with their presence. */
  @property({ attribute: false }) agents: AgentDirectoryEntry[] = [];

  /** Queues a conversation can be released to. */
  @property({ attribute: false }) queues: QueuePayload[] = [];

  /** A request is under way: buttons wait. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @state() private target = "";

  private get canTransfer(): boolean {
    const { conversation, user } = this;
    if (conversation === undefined || user === undefined) return false;
    return (
      user.permissions.includes("conversations.assign") || conversation.assignedUserId === user.id
    );
  }

  private get canAnswer(): boolean {
    return this.user?.permissions.includes("messages.send") ?? false;
  }

  private transfer(conversation: ConversationSummaryPayload): void {
    const [kind, raw] = this.target.split(":");
    if (raw === undefined) return;
    const id = Number(raw);
    const expectedAssignedUserId = conversation.assignedUserId;
    if (kind === "agent") {
      this.emit("at-conversation-assign", {
        conversationId: conversation.id,
        userId: id,
        expectedAssignedUserId,
      });
    } else {
      this.emit("at-conversation-assign", {
        conversationId: conversation.id,
        userId: null,
        queueId: id === 0 ? null : id,
        expectedAssignedUserId,
      });
    }
    this.target = "";
  }

  private renderStatusButton(conversation: ConversationSummaryPayload, status: ConversationStatus) {
    const text = conversationActionsText();
    return html`<button
      type="button"
      class="actions__button"
      ?disabled=${this.busy}
      @click=${() =>
        this.emit("at-conversation-status-change", { conversationId: conversation.id, status })}
    >
      ${text[statusActions[status]]}
    </button>`;
  }

  private renderAssignee(conversation: ConversationSummaryPayload) {
    const text = conversationActionsText();
    if (conversation.assignedUserId === null) {
      return html`<span class="actions__assignee">${text.unassigned}</span>`;
    }
    const agent = this.agents.find((entry) => entry.id === conversation.assignedUserId);
    const online = agent?.online ?? false;
    const name =
      conversation.assignedUserId === this.user?.id
        ? text.you
        : text.assignedTo(conversation.assignee?.name ?? agent?.name ?? "?");
    return html`<span class="actions__assignee">
      <span
        class="dot ${online ? "dot--online" : ""}"
        role="img"
        aria-label=${online ? text.online : text.offline}
      ></span>
      ${name}
    </span>`;
  }

  private renderTransfer(conversation: ConversationSummaryPayload) {
    const text = conversationActionsText();
    const agents = this.agents.filter((agent) => agent.id !== conversation.assignedUserId);
    return html`<span class="actions__transfer">
      <label class="actions__label">
        ${text.transferTo}
        <select
          class="actions__select"
          .value=${this.target}
          @change=${(event: Event) => {
            this.target = (event.target as HTMLSelectElement).value;
          }}
        >
          <option value="" ?selected=${this.target === ""}>${text.choose}</option>
          <optgroup label=${text.agents}>
            ${agents.map(
              (agent) =>
                html`<option value="agent:${agent.id}">
                  ${agent.online ? "●" : "○"} ${agent.name} (${agent.online ? text.online : text.offline})
                </option>`,
            )}
          </optgroup>
          <optgroup label=${text.queues}>
            <option value="queue:0">${text.generalQueue}</option>
            ${this.queues.map(
              (queue) => html`<option value="queue:${queue.id}">${text.queue(queue.name)}</option>`,
            )}
          </optgroup>
        </select>
      </label>
      <button
        type="button"
        class="actions__button"
        ?disabled=${this.busy || this.target === ""}
        @click=${() => this.transfer(conversation)}
      >
        ${text.transfer}
      </button>
      ${
        conversation.assignedUserId !== null
          ? html`<button
              type="button"
              class="actions__button"
              ?disabled=${this.busy}
              @click=${() =>
                this.emit("at-conversation-assign", {
                  conversationId: conversation.id,
                  userId: null,
                  expectedAssignedUserId: conversation.assignedUserId,
                })}
            >
              ${text.release}
            </button>`
          : ""
      }
    </span>`;
  }

  override render() {
    const conversation = this.conversation;
    if (conversation === undefined) return html``;
    const text = conversationActionsText();
    return html`
      <div part="base" class="actions" role="group" aria-label=${text.label}>
        ${this.renderAssignee(conversation)}
        <span class="actions__status">
          ${text.statusLabel}: <strong>${text.statuses[conversation.status]}</strong>
        </span>
        ${
          conversation.assignedUserId === null && this.canAnswer
            ? html`<button
                type="button"
                class="actions__button actions__button--primary"
                ?disabled=${this.busy}
                @click=${() => this.emit("at-conversation-claim", { conversationId: conversation.id })}
              >
                ${text.claim}
              </button>`
            : ""
        }
        ${this.canTransfer ? this.renderTransfer(conversation) : ""}
        ${
          this.canAnswer
            ? html`<span class="actions__statuses">
                ${nextStatuses[conversation.status].map((status) => this.renderStatusButton(conversation, status))}
              </span>`
            : ""
        }
      </div>
    `;
  }
}

import { html } from "lit";
import { state } from "lit/decorators.js";
import type { ManagedUserPayload } from "../../../contracts/accounts.js";
import type { RolePayload } from "../../../contracts/permissions.js";
import {
  createUser,
  listRoles,
  listUsers,
  resetPassword,
  unlockUser,
  updateUser,
} from "../../api/accounts.js";
import { actionFailureMessage } from "../../internal/action-failure.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { roleLabel } from "../../messages.js";
import styles from "./at-user-admin.styles.js";
import { userAdminText } from "./at-user-admin.texts.js";

/**
 * @summary User management for admins: the tenant's users with role and account state, a form to
 *   add one, and per user: change role, reset the password (the temporary one is shown once),
 *   lift a lockout, disable or enable.
 *
 * @csspart base - The section.
 */
export default class AtUserAdmin extends AtendeElement {
  static override styles = styles;

  @state() private users: ManagedUserPayload[] = [];
  @state() private roles: RolePayload[] = [];
  @state() private failure = "";
  /** The one-time password just created, until the admin leaves the page. */
  @state() private revealed: { email: string; password: string } | undefined;
  @state() private busy = false;

  private readonly text = userAdminText();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      [this.users, this.roles] = await Promise.all([listUsers(), listRoles()]);
    } catch {
      this.failure = this.text.loadFailed;
    }
  }

  /** Runs an action, shows its error, reloads the list. */
  private async act(action: () => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.failure = "";
    try {
      await action();
      await this.load();
    } catch (error) {
      this.failure = actionFailureMessage(error);
    } finally {
      this.busy = false;
    }
  }

  private handleCreate(event: SubmitEvent): void {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    void this.act(async () => {
      const created = await createUser({
        email: String(form.get("email") ?? ""),
        name: String(form.get("name") ?? ""),
        role: String(form.get("role") ?? "agent"),
      });
      this.revealed = { email: created.user.email, password: created.oneTimePassword };
      formElement.reset();
    });
  }

  private handleReset(user: ManagedUserPayload): void {
    if (!window.confirm(this.text.confirmReset(user.name))) return;
    void this.act(async () => {
      const reset = await resetPassword(user.id);
      this.revealed = { email: reset.user.email, password: reset.oneTimePassword };
    });
  }

  private handleDisable(user: ManagedUserPayload): void {
    if (!user.disabled && !window.confirm(this.text.confirmDisable(user.name))) return;
    void this.act(() => updateUser(user.id, { disabled: !user.disabled }));
  }

  private roleOptions(selected: string) {
    return this.roles.map(
      (role) =>
        html`<option value=${role.key} ?selected=${role.key === selected}>${role.builtin ? roleLabel(role.key) : role.name}</option>`,
    );
  }

  private renderState(user: ManagedUserPayload) {
    const badges = [
      user.disabled ? this.text.disabled : this.text.active,
      ...(user.locked ? [this.text.locked] : []),
      ...(user.mustChangePassword ? [this.text.mustChange] : []),
      ...(user.totpEnabled ? [this.text.totp] : []),
    ];
    return badges.map((badge) => html`<span class="users__badge">${badge}</span>`);
  }

  override render() {
    const t = this.text;
    return html`
      <section part="base" class="card" aria-label=${t.title}>
        <p class="card__error" role="alert">${this.failure}</p>
        ${
          this.revealed === undefined
            ? ""
            : html`<p class="users__revealed" role="status">
                ${t.oneTimeFor(this.revealed.email)} <code>${this.revealed.password}</code>
              </p>`
        }
        <table class="card__table">
          <thead>
            <tr><th scope="col">${t.name}</th><th scope="col">${t.email}</th><th scope="col">${t.role}</th><th scope="col">${t.state}</th><th scope="col">${t.actions}</th></tr>
          </thead>
          <tbody>
            ${this.users.map(
              (user) => html`<tr>
                <td>${user.name}</td>
                <td>${user.email}</td>
                <td>
                  <select
                    aria-label="${t.role}: ${user.name}"
                    ?disabled=${this.busy}
                    @change=${(event: Event) =>
                      this.act(() =>
                        updateUser(user.id, { role: (event.target as HTMLSelectElement).value }),
                      )}
                  >
                    ${this.roleOptions(user.role)}
                  </select>
                </td>
                <td>${this.renderState(user)}</td>
                <td class="users__actions">
                  <button type="button" ?disabled=${this.busy} @click=${() => this.handleReset(user)}>${t.resetPassword}</button>
                  ${
                    user.locked
                      ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.act(() => unlockUser(user.id))}>${t.unlock}</button>`
                      : ""
                  }
                  <button type="button" ?disabled=${this.busy} @click=${() => this.handleDisable(user)}>
                    ${user.disabled ? t.enable : t.disable}
                  </button>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
        <form class="card__filters users__form" @submit=${this.handleCreate}>
          <h3 class="users__subtitle">${t.add}</h3>
          <label>${t.name} <input name="name" required maxlength="120" /></label>
          <label>${t.email} <input name="email" type="email" required maxlength="254" /></label>
          <label>${t.role} <select name="role">${this.roleOptions("agent")}</select></label>
          <button type="submit" ?disabled=${this.busy}>${t.create}</button>
        </form>
      </section>
    `;
  }
}

import { html, nothing } from "lit";
import { state } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import type { Permission, RolePayload } from "../../../contracts/permissions.js";
import { createRole, deleteRole, listRoles, updateRole } from "../../api/roles.js";
import { actionFailureMessage } from "../../internal/action-failure.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { roleLabel } from "../../messages.js";
import styles from "./at-role-editor.styles.js";
import { permissionGroups, roleEditorText } from "./at-role-editor.texts.js";

/** What the form shows: a new role, a custom role being edited, or a built-in one (read-only). */
type FormMode =
  | { kind: "create" }
  | { kind: "edit"; role: RolePayload }
  | { kind: "view"; role: RolePayload };

/**
 * @summary Custom roles for admins (permission `roles.manage`): every role with how many users
 *   hold it; a form to create or edit a custom role from the permissions, grouped and described;
 *   deleting a custom role nobody holds. Built-in roles can only be viewed.
 *
 * @csspart base - The section.
 */
export default class AtRoleEditor extends AtendeElement {
  static override styles = styles;

  @state() private roles: RolePayload[] = [];
  @state() private mode: FormMode = { kind: "create" };
  @state() private failure = "";
  @state() private notice = "";
  @state() private busy = false;

  private readonly text = roleEditorText();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.roles = await listRoles();
    } catch {
      this.failure = this.text.loadFailed;
    }
  }

  private displayName(role: RolePayload): string {
    return role.builtin ? roleLabel(role.key) : role.name;
  }

  /** Runs an action and reloads the list, then shows `notice`, or the action's error. */
  private async act(action: () => Promise<unknown>, notice: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.failure = "";
    this.notice = "";
    try {
      await action();
      // After the reload, so the notice is announced once the table shows the change.
      await this.load();
      this.notice = notice;
    } catch (error) {
      this.failure = actionFailureMessage(error);
    } finally {
      this.busy = false;
    }
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const name = String(form.get("name") ?? "");
    const granted = form.getAll("permission").map(String) as Permission[];
    const mode = this.mode;
    if (mode.kind === "view") return;
    void this.act(async () => {
      if (mode.kind === "edit") {
        await updateRole(mode.role.key, { name, permissions: granted });
      } else {
        await createRole({ key: String(form.get("key") ?? ""), name, permissions: granted });
        formElement.reset();
      }
      this.mode = { kind: "create" };
    }, this.text.saved);
  }

  private handleDelete(role: RolePayload): void {
    if (!window.confirm(this.text.confirmDelete(role.name))) return;
    void this.act(async () => {
      await deleteRole(role.key);
      if (this.mode.kind !== "create" && this.mode.role.key === role.key) {
        this.mode = { kind: "create" };
      }
    }, this.text.deleted);
  }

  private renderRow(role: RolePayload) {
    const t = this.text;
    const name = this.displayName(role);
    return html`<tr>
      <td>${name}</td>
      <td><code>${role.key}</code></td>
      <td>${role.builtin ? t.builtin : t.custom}</td>
      <td>${t.permissionCount(role.permissions.length)}</td>
      <td>${role.users}</td>
      <td><div class="roles__actions">
        ${
          role.builtin
            ? html`<button type="button" aria-label="${t.view}: ${name}" @click=${() => {
                this.mode = { kind: "view", role };
              }}>${t.view}</button>`
            : html`<button type="button" aria-label="${t.edit}: ${name}" ?disabled=${this.busy} @click=${() => {
                this.mode = { kind: "edit", role };
              }}>${t.edit}</button>
                <button
                  type="button"
                  aria-label="${t.remove}: ${name}"
                  ?disabled=${this.busy || role.users > 0}
                  title=${role.users > 0 ? t.inUse(role.users) : nothing}
                  @click=${() => this.handleDelete(role)}
                >${t.remove}</button>`
        }
      </div></td>
    </tr>`;
  }

  private renderForm() {
    const t = this.text;
    const mode = this.mode;
    const role = mode.kind === "create" ? undefined : mode.role;
    const readonly = mode.kind === "view";
    const granted = new Set<string>(role?.permissions ?? []);
    const heading =
      mode.kind === "create"
        ? t.newRole
        : mode.kind === "edit"
          ? t.editing(mode.role.name)
          : t.viewing(this.displayName(mode.role));
    // live(): switching roles resets inputs the user changed even when the bound value is equal.
    return html`
      <form class="roles__form" @submit=${this.handleSubmit} aria-label=${heading}>
        <h3 class="roles__subtitle">${heading}</h3>
        ${
          mode.kind === "create"
            ? html`<label class="roles__field">${t.key}
                <input name="key" required minlength="2" maxlength="40" pattern="[a-z][a-z0-9\\-]{1,39}" aria-describedby="key-hint" />
                <small id="key-hint" class="roles__hint">${t.keyHint}</small>
              </label>`
            : ""
        }
        ${
          readonly
            ? ""
            : html`<label class="roles__field">${t.name}
                <input name="name" required maxlength="80" .value=${live(role?.name ?? "")} />
              </label>`
        }
        <div class="roles__groups">
          ${permissionGroups.map(
            (group) => html`<fieldset class="roles__group">
              <legend>${t.groups[group.id]}</legend>
              ${group.permissions.map((permission) => {
                const [label, description] = t.permissions[permission];
                const id = `permission-${permission.replace(".", "-")}`;
                return html`<div class="roles__permission">
                  <input
                    type="checkbox"
                    id=${id}
                    name="permission"
                    value=${permission}
                    .checked=${live(granted.has(permission))}
                    ?disabled=${readonly}
                    aria-describedby="${id}-description"
                  />
                  <label for=${id}>${label}</label>
                  <small id="${id}-description" class="roles__hint">${description}</small>
                </div>`;
              })}
            </fieldset>`,
          )}
        </div>
        <div class="roles__buttons">
          ${
            readonly
              ? ""
              : html`<button type="submit" ?disabled=${this.busy}>${mode.kind === "edit" ? t.save : t.create}</button>`
          }
          ${
            mode.kind === "create"
              ? ""
              : html`<button type="button" @click=${() => {
                  this.mode = { kind: "create" };
                }}>${t.cancel}</button>`
          }
        </div>
      </form>
    `;
  }

  override render() {
    const t = this.text;
    return html`
      <section part="base" class="card" aria-label=${t.title}>
        <p class="card__error" role="alert">${this.failure}</p>
        <p class="roles__notice" role="status">${this.notice}</p>
        <table class="card__table">
          <caption class="roles__subtitle">${t.roles}</caption>
          <thead>
            <tr>
              <th scope="col">${t.name}</th><th scope="col">${t.key}</th><th scope="col">${t.kind}</th>
              <th scope="col">${t.permissionsColumn}</th><th scope="col">${t.users}</th><th scope="col">${t.actions}</th>
            </tr>
          </thead>
          <tbody>${this.roles.map((role) => this.renderRow(role))}</tbody>
        </table>
        ${this.renderForm()}
      </section>
    `;
  }
}

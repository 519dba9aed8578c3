import { html, nothing } from "lit";
import { state } from "lit/decorators.js";
import {
  type TemplateButtonInput,
  type TemplateCategory,
  type TemplateComponentInput,
  type TemplateCreateRequest,
  type TemplateFieldError,
  templateCategories,
  templateLanguages,
} from "../../../contracts/templates.js";
import { ApiError } from "../../api/client.js";
import { createTemplate, templateFieldErrors } from "../../api/whatsapp.js";
import { AtendeElement } from "../../internal/atende-element.js";
import {
  errorMessage,
  templateCategoryLabel,
  templateErrorText,
  templateText,
} from "../../messages.js";
import styles from "./at-template-form.styles.js";
import "../../events/at-template-created.js";

/** A button being edited. */
interface ButtonDraft {
  type: "QUICK_REPLY" | "URL" | "PHONE_NUMBER";
  text: string;
  url: string;
  example: string;
  phone: string;
}

/** Fields the form shows an error beside; any other error is listed under the form. */
const placedField =
  /^(name|category|language|header\.text|header\.example|body\.text|body\.example(\.\d+)?|footer\.text|buttons(\.\d+\.(text|url|example|phone_number|type))?)$/;

/** Distinct `{{…}}` names in order of appearance (what needs an example). */
function variablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => (m[1] ?? "").trim()))];
}

/**
 * @summary The form that creates a message template and submits it to Meta for review: name,
 *   category, language, header, body with one example per variable, footer and buttons. Meta's
 *   rules are checked by the API before submission; each refused field shows its reason beside
 *   it and the first one takes the focus.
 *
 * @event at-template-created - Meta accepted the template for review.
 *
 * @csspart base - The form.
 */
export default class AtTemplateForm extends AtendeElement {
  static override styles = styles;

  @state() private category: TemplateCategory = "UTILITY";
  @state() private headerText = "";
  @state() private headerExample = "";
  @state() private bodyText = "";
  @state() private bodyExamples: string[] = [];
  @state() private footerText = "";
  @state() private buttons: ButtonDraft[] = [];
  @state() private busy = false;
  @state() private errors: TemplateFieldError[] = [];
  @state() private failure = "";
  @state() private notice = "";

  private readonly text = templateText();

  private errorFor(field: string): string {
    const error = this.errors.find((candidate) => candidate.field === field);
    return error === undefined ? "" : templateErrorText(error);
  }

  /** Errors no input shows (a whole-template problem): listed under the form. */
  private unplacedErrors(): TemplateFieldError[] {
    const authentication = this.category === "AUTHENTICATION";
    return this.errors.filter(
      (error) => !(authentication ? /^(name|category|language)$/ : placedField).test(error.field),
    );
  }

  private buildRequest(form: HTMLFormElement): TemplateCreateRequest {
    const data = new FormData(form);
    const components: TemplateComponentInput[] = [];
    if (this.category === "AUTHENTICATION") {
      components.push({ type: "BODY", add_security_recommendation: true });
      components.push({
        type: "BUTTONS",
        buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Copiar código" }],
      });
    } else {
      if (this.headerText.trim() !== "") {
        components.push({
          type: "HEADER",
          format: "TEXT",
          text: this.headerText,
          ...(variablesOf(this.headerText).length > 0
            ? { example: { header_text: [this.headerExample] } }
            : {}),
        });
      }
      const variables = variablesOf(this.bodyText);
      components.push({
        type: "BODY",
        text: this.bodyText,
        ...(variables.length > 0
          ? { example: { body_text: [variables.map((_, i) => this.bodyExamples[i] ?? "")] } }
          : {}),
      });
      if (this.footerText.trim() !== "") components.push({ type: "FOOTER", text: this.footerText });
      if (this.buttons.length > 0) {
        components.push({
          type: "BUTTONS",
          buttons: this.buttons.map((button): TemplateButtonInput => {
            if (button.type === "URL") {
              return {
                type: "URL",
                text: button.text,
                url: button.url,
                ...(variablesOf(button.url).length > 0 ? { example: [button.example] } : {}),
              };
            }
            if (button.type === "PHONE_NUMBER") {
              return { type: "PHONE_NUMBER", text: button.text, phone_number: button.phone };
            }
            return { type: "QUICK_REPLY", text: button.text };
          }),
        });
      }
    }
    return {
      name: String(data.get("name") ?? "").trim(),
      category: this.category,
      language: String(data.get("language") ?? ""),
      components,
    };
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    this.busy = true;
    this.errors = [];
    this.failure = "";
    this.notice = "";
    try {
      const template = await createTemplate(this.buildRequest(form));
      this.notice = this.text.submitted(template.name);
      this.emit("at-template-created", { template });
      form.reset();
      this.headerText = "";
      this.headerExample = "";
      this.bodyText = "";
      this.bodyExamples = [];
      this.footerText = "";
      this.buttons = [];
    } catch (error) {
      const errors = templateFieldErrors(error);
      if (errors.length > 0) {
        this.errors = errors;
        this.failure = this.text.fixErrors;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      } else {
        this.failure =
          error instanceof ApiError && error.id === "whatsapp_request_failed"
            ? error.message
            : errorMessage(error instanceof ApiError ? error.id : "network_error");
      }
    } finally {
      this.busy = false;
    }
  }

  private addButton(type: ButtonDraft["type"]): void {
    this.buttons = [...this.buttons, { type, text: "", url: "", example: "", phone: "" }];
  }

  private updateButton(index: number, patch: Partial<ButtonDraft>): void {
    this.buttons = this.buttons.map((button, i) =>
      i === index ? { ...button, ...patch } : button,
    );
  }

  private removeButton(index: number): void {
    this.buttons = this.buttons.filter((_, i) => i !== index);
    this.errors = this.errors.filter((error) => !error.field.startsWith("buttons."));
  }

  /** A labelled input or textarea with its error beside it. */
  private renderInput(props: {
    id: string;
    field: string;
    label: string;
    value: string;
    onInput: (value: string) => void;
    multiline?: boolean;
    hint?: string;
    maxlength?: number;
  }) {
    const error = this.errorFor(props.field);
    const describedBy = [props.hint === undefined ? "" : `${props.id}-hint`, `${props.id}-error`]
      .filter(Boolean)
      .join(" ");
    const handle = (event: Event) =>
      props.onInput((event.target as HTMLInputElement | HTMLTextAreaElement).value);
    return html`
      <div class="field" data-field=${props.field}>
        <label class="label" for=${props.id}>${props.label}</label>
        ${
          props.multiline
            ? html`<textarea class="input" id=${props.id} .value=${props.value} @input=${handle}
                aria-invalid=${error === "" ? "false" : "true"} aria-describedby=${describedBy}></textarea>`
            : html`<input class="input" id=${props.id} type="text" .value=${props.value} @input=${handle}
                aria-invalid=${error === "" ? "false" : "true"} aria-describedby=${describedBy} />`
        }
        ${props.hint === undefined ? nothing : html`<p class="hint" id=${`${props.id}-hint`}>${props.hint}</p>`}
        <p class="error" id=${`${props.id}-error`}>${error}</p>
      </div>
    `;
  }

  private renderButton(button: ButtonDraft, index: number) {
    const n = index + 1;
    const field = `buttons.${index}`;
    return html`
      <fieldset class="fieldset" data-field=${field}>
        <legend>${n}. ${this.text.buttonKinds[button.type]}</legend>
        ${this.renderInput({
          id: `button-${index}-text`,
          field: `${field}.text`,
          label: this.text.buttonText(n),
          value: button.text,
          onInput: (text) => this.updateButton(index, { text }),
        })}
        ${
          button.type === "URL"
            ? html`${this.renderInput({
                id: `button-${index}-url`,
                field: `${field}.url`,
                label: this.text.buttonUrl(n),
                value: button.url,
                onInput: (url) => this.updateButton(index, { url }),
              })}
              ${
                variablesOf(button.url).length > 0
                  ? this.renderInput({
                      id: `button-${index}-example`,
                      field: `${field}.example`,
                      label: this.text.buttonUrlExample(n),
                      value: button.example,
                      onInput: (example) => this.updateButton(index, { example }),
                    })
                  : nothing
              }`
            : nothing
        }
        ${
          button.type === "PHONE_NUMBER"
            ? this.renderInput({
                id: `button-${index}-phone`,
                field: `${field}.phone_number`,
                label: this.text.buttonPhone(n),
                value: button.phone,
                onInput: (phone) => this.updateButton(index, { phone }),
              })
            : nothing
        }
        <p class="error" data-field=${`${field}.type`}>${this.errorFor(`${field}.type`)}</p>
        <div class="actions">
          <button class="button button--danger" type="button" @click=${() => this.removeButton(index)}>
            ${this.text.removeButton(n)}
          </button>
        </div>
      </fieldset>
    `;
  }

  private renderContent() {
    if (this.category === "AUTHENTICATION") {
      return html`<p class="hint">${this.text.authenticationNote}</p>`;
    }
    const headerVariables = variablesOf(this.headerText);
    const bodyVariables = variablesOf(this.bodyText);
    return html`
      ${this.renderInput({
        id: "header",
        field: "header.text",
        label: this.text.header,
        value: this.headerText,
        onInput: (value) => {
          this.headerText = value;
        },
      })}
      ${
        headerVariables.length > 0
          ? this.renderInput({
              id: "header-example",
              field: "header.example",
              label: this.text.headerExample,
              value: this.headerExample,
              onInput: (value) => {
                this.headerExample = value;
              },
            })
          : nothing
      }
      ${this.renderInput({
        id: "body",
        field: "body.text",
        label: this.text.body,
        value: this.bodyText,
        multiline: true,
        hint: this.text.bodyHint,
        onInput: (value) => {
          this.bodyText = value;
        },
      })}
      ${
        bodyVariables.length > 0
          ? html`<fieldset class="fieldset" data-field="body.example">
              <legend>${this.text.examplesLegend}</legend>
              ${bodyVariables.map((_, index) =>
                this.renderInput({
                  id: `body-example-${index}`,
                  field: `body.example.${index}`,
                  label: this.text.example(index + 1),
                  value: this.bodyExamples[index] ?? "",
                  onInput: (value) => {
                    const next = [...this.bodyExamples];
                    next[index] = value;
                    this.bodyExamples = next;
                  },
                }),
              )}
              <p class="error">${this.errorFor("body.example")}</p>
            </fieldset>`
          : nothing
      }
      ${this.renderInput({
        id: "footer",
        field: "footer.text",
        label: this.text.footer,
        value: this.footerText,
        onInput: (value) => {
          this.footerText = value;
        },
      })}
      <fieldset class="fieldset" data-field="buttons">
        <legend>${this.text.buttons}</legend>
        ${this.buttons.map((button, index) => this.renderButton(button, index))}
        <p class="error">${this.errorFor("buttons")}</p>
        <div class="actions">
          <button class="button" type="button" @click=${() => this.addButton("QUICK_REPLY")}>${this.text.addQuickReply}</button>
          <button class="button" type="button" @click=${() => this.addButton("URL")}>${this.text.addUrl}</button>
          <button class="button" type="button" @click=${() => this.addButton("PHONE_NUMBER")}>${this.text.addPhone}</button>
        </div>
      </fieldset>
    `;
  }

  override render() {
    const nameError = this.errorFor("name");
    const languageError = this.errorFor("language");
    const categoryError = this.errorFor("category");
    return html`
      <form part="base" class="form" @submit=${this.handleSubmit} novalidate aria-label=${this.text.newTemplate}>
        <div class="grid">
          <div class="field" data-field="name">
            <label class="label" for="name">${this.text.name}</label>
            <input class="input" id="name" name="name" type="text" autocomplete="off" spellcheck="false"
              placeholder="pedido_enviado" aria-invalid=${nameError === "" ? "false" : "true"}
              aria-describedby="name-error" />
            <p class="error" id="name-error">${nameError}</p>
          </div>
          <div class="field" data-field="category">
            <label class="label" for="category">${this.text.category}</label>
            <select class="input" id="category" name="category" aria-invalid=${categoryError === "" ? "false" : "true"}
              aria-describedby="category-error"
              @change=${(event: Event) => {
                this.category = (event.target as HTMLSelectElement).value as TemplateCategory;
              }}>
              ${templateCategories.map(
                (category) =>
                  html`<option value=${category} ?selected=${category === this.category}>${templateCategoryLabel(category)}</option>`,
              )}
            </select>
            <p class="error" id="category-error">${categoryError}</p>
          </div>
          <div class="field" data-field="language">
            <label class="label" for="language">${this.text.language}</label>
            <select class="input" id="language" name="language" aria-invalid=${languageError === "" ? "false" : "true"}
              aria-describedby="language-error">
              ${templateLanguages.map(
                (language) =>
                  html`<option value=${language} ?selected=${language === "pt_BR"}>${language}</option>`,
              )}
            </select>
            <p class="error" id="language-error">${languageError}</p>
          </div>
        </div>
        ${this.renderContent()}
        <div class="actions">
          <button class="button button--primary" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
            ${this.busy ? this.text.submitting : this.text.submit}
          </button>
        </div>
        <p class="notice" role="status">${this.notice}</p>
        <div class="notice notice--error" role="alert" ?hidden=${this.failure === ""}>
          <p class="failure">${this.failure}</p>
          <ul class="failure__list">
            ${this.unplacedErrors().map((error) => html`<li>${templateErrorText(error)}</li>`)}
          </ul>
        </div>
      </form>
    `;
  }
}

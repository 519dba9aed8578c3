import { css } from "lit";

/** Form controls, buttons, badges and messages shared by the settings screens. */
export const formStyles = css`
  .card {
    display: flex;
    flex-direction: column;
    gap: calc(var(--at-space) * 2);
    padding: calc(var(--at-space) * 3);
    background: var(--at-color-surface);
    border: 1px solid var(--at-color-border);
    border-radius: var(--at-radius);
  }

  .card__heading {
    margin: 0;
    font-size: 1.125rem;
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: calc(var(--at-space) / 2);
  }

  .fieldset {
    display: flex;
    flex-direction: column;
    gap: calc(var(--at-space) * 1.5);
    margin: 0;
    padding: calc(var(--at-space) * 1.5);
    border: 1px solid var(--at-color-border);
    border-radius: calc(var(--at-radius) / 2);
  }

  .fieldset > legend {
    font-weight: 600;
    padding: 0 calc(var(--at-space) / 2);
  }

  .label {
    font-weight: 600;
  }

  .hint {
    margin: 0;
    color: var(--at-color-muted);
    font-size: 0.875rem;
  }

  .input {
    font: inherit;
    padding: var(--at-space);
    border: 1px solid var(--at-color-border);
    border-radius: calc(var(--at-radius) / 2);
    background: var(--at-color-surface);
    color: inherit;
  }

  .input[aria-invalid="true"] {
    border-color: var(--at-color-danger);
  }

  textarea.input {
    min-height: 6rem;
    resize: vertical;
  }

  .error {
    margin: 0;
    color: var(--at-color-danger);
    font-size: 0.875rem;
  }

  .error:empty {
    display: none;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--at-space);
  }

  .button {
    font: inherit;
    padding: calc(var(--at-space) * 0.75) calc(var(--at-space) * 1.5);
    border: 1px solid var(--at-color-border);
    border-radius: calc(var(--at-radius) / 2);
    background: var(--at-color-surface);
    color: inherit;
    cursor: pointer;
  }

  .button--primary {
    border-color: var(--at-color-primary);
    background: var(--at-color-primary);
    color: var(--at-color-primary-text);
    font-weight: 600;
  }

  .button--danger {
    border-color: var(--at-color-danger);
    color: var(--at-color-danger);
  }

  .button--danger.button--filled {
    background: var(--at-color-danger);
    color: var(--at-color-primary-text);
  }

  .button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }

  .input:focus-visible,
  .button:focus-visible,
  a:focus-visible,
  summary:focus-visible {
    outline: 3px solid var(--at-color-focus);
    outline-offset: 2px;
  }

  .notice {
    margin: 0;
    padding: var(--at-space) calc(var(--at-space) * 1.5);
    border-radius: calc(var(--at-radius) / 2);
    background: #e8f5ef;
    color: var(--at-color-primary);
  }

  .notice--error {
    background: #fdecea;
    color: var(--at-color-danger);
  }

  .notice:empty {
    display: none;
  }
`;

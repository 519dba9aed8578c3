import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .roles {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 2);
      padding: calc(var(--at-space) * 3);
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
      border-radius: var(--at-radius);
    }

    .roles__error,
    .roles__notice {
      margin: 0;
    }

    .roles__error {
      color: var(--at-color-danger);
    }

    .roles__error:empty,
    .roles__notice:empty {
      display: none;
    }

    .roles__subtitle {
      margin: 0;
      font-size: 1.1rem;
      font-weight: 600;
      text-align: start;
    }

    .roles__table {
      border-collapse: collapse;
      width: 100%;
    }

    .roles__table th,
    .roles__table td {
      text-align: start;
      padding: calc(var(--at-space) / 2) var(--at-space);
      border-bottom: 1px solid var(--at-color-border);
    }

    .roles__actions {
      display: flex;
      gap: var(--at-space);
    }

    .roles__form {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 1.5);
      border-top: 1px solid var(--at-color-border);
      padding-top: calc(var(--at-space) * 2);
    }

    .roles__field {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
      font-weight: 600;
      max-width: 40ch;
    }

    .roles__hint {
      font-weight: 400;
      color: var(--at-color-muted);
    }

    .roles__groups {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
      gap: calc(var(--at-space) * 1.5);
    }

    .roles__group {
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      display: flex;
      flex-direction: column;
      gap: var(--at-space);
    }

    .roles__group legend {
      font-weight: 600;
    }

    .roles__permission {
      display: grid;
      grid-template-columns: auto 1fr;
      column-gap: var(--at-space);
    }

    .roles__permission .roles__hint {
      grid-column: 2;
    }

    .roles__buttons {
      display: flex;
      gap: var(--at-space);
    }

    input,
    button {
      font: inherit;
    }

    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];

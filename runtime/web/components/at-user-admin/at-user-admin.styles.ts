import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .users {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 2);
      padding: calc(var(--at-space) * 3);
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
      border-radius: var(--at-radius);
    }

    .users__subtitle {
      margin: 0;
    }

    .users__error {
      margin: 0;
      color: var(--at-color-danger);
    }

    .users__error:empty {
      display: none;
    }

    .users__revealed code {
      font-size: 1.1rem;
      user-select: all;
    }

    .users__table {
      border-collapse: collapse;
      width: 100%;
    }

    .users__table th,
    .users__table td {
      text-align: start;
      padding: var(--at-space);
      border-bottom: 1px solid var(--at-color-border);
      vertical-align: top;
    }

    .users__badge {
      display: inline-block;
      margin: 0 calc(var(--at-space) / 2) calc(var(--at-space) / 2) 0;
      padding: 0 var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: 999px;
      font-size: 0.85rem;
    }

    .users__actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--at-space);
    }

    .users__form {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: calc(var(--at-space) * 2);
    }

    .users__form label {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
      font-weight: 600;
    }

    input,
    select,
    button {
      font: inherit;
    }

    input:focus-visible,
    select:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];

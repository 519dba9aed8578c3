import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .audit {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 2);
      padding: calc(var(--at-space) * 3);
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
      border-radius: var(--at-radius);
    }

    .audit__filters {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: calc(var(--at-space) * 1.5);
    }

    .audit__filters label {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
      font-weight: 600;
    }

    .audit__error {
      margin: 0;
      color: var(--at-color-danger);
    }

    .audit__error:empty {
      display: none;
    }

    .audit__table {
      border-collapse: collapse;
      width: 100%;
      font-size: 0.9rem;
    }

    .audit__table th,
    .audit__table td {
      text-align: start;
      padding: calc(var(--at-space) / 2) var(--at-space);
      border-bottom: 1px solid var(--at-color-border);
      vertical-align: top;
    }

    .audit__agent,
    .audit__data {
      overflow-wrap: anywhere;
      max-width: 24ch;
    }

    input,
    button {
      font: inherit;
    }

    input:focus-visible,
    button:focus-visible,
    a:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];

import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .reports {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 2);
      padding: calc(var(--at-space) * 3);
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
      border-radius: var(--at-radius);
    }

    .reports__filters {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: calc(var(--at-space) * 1.5);
    }

    .reports__filters label {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
      font-weight: 600;
    }

    .reports__error {
      margin: 0;
      color: var(--at-color-danger);
    }

    .reports__error:empty {
      display: none;
    }

    .reports__period,
    .reports__empty {
      margin: 0;
      color: var(--at-color-muted);
    }

    .reports__totals {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
      gap: calc(var(--at-space) * 1.5);
      margin: 0;
    }

    .reports__card {
      padding: calc(var(--at-space) * 1.5);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
    }

    .reports__card dt {
      font-weight: 600;
      color: var(--at-color-muted);
    }

    .reports__card dd {
      margin: 0;
      color: var(--at-color-muted);
      font-size: 0.85rem;
    }

    .reports__card .reports__figure {
      margin: calc(var(--at-space) / 2) 0;
      font-size: 1.75rem;
      font-weight: 700;
      color: var(--at-color-text);
    }

    .reports__table {
      border-collapse: collapse;
      width: 100%;
      font-size: 0.9rem;
    }

    .reports__scroll {
      overflow-x: auto;
    }

    .reports__table th,
    .reports__table td {
      text-align: start;
      padding: calc(var(--at-space) / 2) var(--at-space);
      border-bottom: 1px solid var(--at-color-border);
    }

    .reports__table tbody td,
    .reports__table tbody th {
      white-space: nowrap;
    }

    .reports__table thead th {
      vertical-align: bottom;
    }

    .reports__table tbody th {
      font-weight: 400;
    }

    .reports__bar-cell {
      display: flex;
      align-items: center;
      gap: var(--at-space);
      min-inline-size: 160px;
    }

    .reports__track {
      display: inline-block;
      inline-size: 120px;
      block-size: 0.9em;
      background: var(--at-color-background);
      border-radius: 2px;
    }

    .reports__bar {
      display: block;
      block-size: 100%;
      background: var(--at-color-primary);
      border-radius: 2px;
    }

    input,
    select,
    button {
      font: inherit;
    }

    input:focus-visible,
    select:focus-visible,
    button:focus-visible,
    a:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];

import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";
import { settingsPanelStyles } from "../../styles/settings-panel.styles.js";

export default [
  componentStyles,
  settingsPanelStyles,
  css`
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

    .reports__scroll {
      overflow-x: auto;
    }

    .card__table tbody td,
    .card__table tbody th {
      white-space: nowrap;
    }

    .card__table thead th {
      vertical-align: bottom;
    }

    .card__table tbody th {
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
  `,
];

import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";
import { settingsPanelStyles } from "../../styles/settings-panel.styles.js";

export default [
  componentStyles,
  settingsPanelStyles,
  css`
    .users__subtitle {
      margin: 0;
    }

    .users__revealed code {
      font-size: 1.1rem;
      user-select: all;
    }

    .card__table th,
    .card__table td {
      padding: var(--at-space);
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
      gap: calc(var(--at-space) * 2);
    }
  `,
];

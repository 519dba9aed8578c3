import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";
import { settingsPanelStyles } from "../../styles/settings-panel.styles.js";

export default [
  componentStyles,
  settingsPanelStyles,
  css`
    .queues__intro {
      margin: 0;
      color: var(--at-color-muted);
    }

    .queues__subtitle {
      margin: 0;
      font-size: 1rem;
    }

    .card__table th,
    .card__table td {
      padding: var(--at-space);
      vertical-align: top;
    }

    .queues__name {
      overflow-wrap: anywhere;
    }

    .queues__actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--at-space);
    }

    .queues__form {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 1.5);
    }

    .queues__members {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
      gap: calc(var(--at-space) / 2) calc(var(--at-space) * 2);
    }

    .queues__member {
      display: flex;
      align-items: center;
      gap: var(--at-space);
      font-weight: normal;
    }

    .queues__role {
      color: var(--at-color-muted);
      font-size: 0.85rem;
    }

    .queues__confirm {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--at-space);
      margin: 0;
    }
  `,
];

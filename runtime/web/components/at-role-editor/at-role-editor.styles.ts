import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";
import { settingsPanelStyles } from "../../styles/settings-panel.styles.js";

export default [
  componentStyles,
  settingsPanelStyles,
  css`
    .roles__notice {
      margin: 0;
    }

    .roles__notice:empty {
      display: none;
    }

    .roles__subtitle {
      margin: 0;
      font-size: 1.1rem;
      font-weight: 600;
      text-align: start;
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
  `,
];

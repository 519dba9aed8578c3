import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";
import { settingsPanelStyles } from "../../styles/settings-panel.styles.js";

export default [
  componentStyles,
  settingsPanelStyles,
  css`
    .card__table th,
    .card__table td {
      vertical-align: top;
    }

    .audit__agent,
    .audit__data {
      overflow-wrap: anywhere;
      max-width: 24ch;
    }
  `,
];

import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    td.actions {
      white-space: nowrap;
    }
    td.actions button {
      margin-right: 0.25rem;
    }
  `,
];

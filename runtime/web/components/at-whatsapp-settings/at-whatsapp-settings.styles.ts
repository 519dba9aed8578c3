import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";
import { formStyles } from "../../styles/form.styles.js";

export default [
  componentStyles,
  formStyles,
  css`
    :host {
      display: block;
    }

    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
      gap: calc(var(--at-space) * 2);
    }
  `,
];

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

    .form {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 2);
    }

    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
      gap: calc(var(--at-space) * 2);
    }

    .failure {
      margin: 0;
    }

    .failure__list {
      margin: calc(var(--at-space) / 2) 0 0;
      padding-inline-start: calc(var(--at-space) * 2.5);
    }

    .failure__list:empty {
      display: none;
    }
  `,
];

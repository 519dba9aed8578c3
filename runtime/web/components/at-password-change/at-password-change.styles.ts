import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";
import { formCardStyles } from "../../styles/form-card.styles.js";

export default [
  componentStyles,
  formCardStyles,
  css`
    /* Lit's markers keep the box from being :empty. */
    .card__error:not(:has(*)) {
      display: none;
    }

    .card__error-text {
      margin: 0;
      font-weight: 600;
    }

    .card__rules {
      margin: calc(var(--at-space) / 2) 0 0;
      padding-inline-start: calc(var(--at-space) * 2.5);
    }
  `,
];

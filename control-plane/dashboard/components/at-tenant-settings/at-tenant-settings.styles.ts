import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    h3 {
      font-size: 0.95rem;
      margin: 1rem 0 0.4rem;
    }
    td.key code {
      white-space: nowrap;
    }
    td.value {
      min-width: 9rem;
      overflow-wrap: anywhere;
    }
    .description {
      display: block;
      font-family: inherit;
      font-size: 0.85rem;
      white-space: normal;
    }
    form {
      display: flex;
      gap: 0.4rem;
      align-items: center;
      flex-wrap: wrap;
    }
    form input {
      min-width: 12rem;
    }
    .field-error {
      color: var(--at-danger);
      font-size: 0.85rem;
      margin: 0.2rem 0 0;
    }
    .field-note {
      font-size: 0.85rem;
      margin: 0.2rem 0 0;
    }
  `,
];

import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    form {
      display: flex;
      gap: 0.5rem;
      align-items: end;
      flex-wrap: wrap;
    }
    label {
      display: grid;
      gap: 0.2rem;
      font-size: 0.85rem;
    }
  `,
];

import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    dialog {
      border: 1px solid var(--at-border);
      border-radius: var(--at-radius);
      max-width: 28rem;
    }
    form {
      display: grid;
      gap: 0.7rem;
    }
    h2 {
      margin: 0;
      font-size: 1.1rem;
      color: var(--at-danger);
    }
    .buttons {
      display: flex;
      gap: 0.5rem;
      justify-content: end;
    }
  `,
];

import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    form {
      max-width: 22rem;
      margin: 10vh auto;
      display: grid;
      gap: 0.8rem;
      padding: 1.5rem;
      background: var(--at-surface);
      border: 1px solid var(--at-border);
      border-radius: var(--at-radius);
    }
    label {
      display: grid;
      gap: 0.25rem;
    }
    h1 {
      font-size: 1.2rem;
      margin: 0;
    }
  `,
];

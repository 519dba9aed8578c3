import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    section {
      background: var(--at-surface);
      border: 1px solid var(--at-border);
      border-radius: var(--at-radius);
      padding: 1rem;
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: center;
    }
    h2 {
      margin: 0;
      font-size: 1.1rem;
    }
    h3 {
      font-size: 0.95rem;
      margin: 1rem 0 0.4rem;
    }
    .alert {
      background: #fef3f2;
      border: 1px solid var(--at-danger);
      color: var(--at-danger);
      border-radius: var(--at-radius);
      padding: 0.4rem 1rem;
      margin: 0.6rem 0;
    }
    .alert p {
      margin: 0.2rem 0;
    }
  `,
];

import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: center;
      padding: 0.7rem 1.2rem;
      background: var(--at-surface);
      border-bottom: 1px solid var(--at-border);
    }
    h1 {
      font-size: 1.05rem;
      margin: 0;
    }
    main {
      padding: 1rem 1.2rem;
      display: grid;
      gap: 1rem;
      max-width: 80rem;
    }
    h2 {
      font-size: 1rem;
      margin: 0 0 0.4rem;
      display: flex;
      gap: 0.6rem;
      align-items: center;
    }
    .notice {
      background: #ecfdf3;
      border: 1px solid var(--at-ok);
      border-radius: var(--at-radius);
      padding: 0.7rem 1rem;
    }
    .alert {
      background: #fef3f2;
      border: 1px solid var(--at-danger);
      color: var(--at-danger);
      border-radius: var(--at-radius);
      padding: 0.7rem 1rem;
    }
    .alert p {
      margin: 0.2rem 0;
    }
    code {
      font-size: 1.05rem;
      user-select: all;
    }
  `,
];

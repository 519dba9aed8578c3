import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    article {
      background: var(--at-surface);
      border: 1px solid var(--at-border);
      border-radius: var(--at-radius);
      padding: 0.7rem 1rem;
      margin-bottom: 0.5rem;
    }
    ol {
      margin: 0.4rem 0 0;
      padding-left: 1.2rem;
    }
    li[data-state="started"] {
      font-weight: 600;
    }
    li[data-state="failed"] {
      color: var(--at-danger);
    }
    li[data-state="pending"] {
      color: var(--at-muted);
    }
  `,
];

import { css } from "lit";

/** The top bar of every signed-in page: `.app-bar` with the brand `.app-bar__brand` first. */
export const appBarStyles = css`
  .app-bar {
    display: flex;
    align-items: center;
    gap: calc(var(--at-space) * 2);
    padding: var(--at-space) calc(var(--at-space) * 2);
    background: var(--at-color-surface);
    border-bottom: 1px solid var(--at-color-border);
  }

  .app-bar__brand {
    margin: 0;
    font-size: 1.25rem;
    margin-inline-end: auto;
  }
`;

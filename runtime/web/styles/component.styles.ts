import { css } from "lit";

/** Host styling every atende element shares. */
export const componentStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--at-font-sans);
    color: var(--at-color-text);
  }

  :host *,
  :host *::before,
  :host *::after {
    box-sizing: inherit;
  }

  [hidden] {
    display: none !important;
  }
`;

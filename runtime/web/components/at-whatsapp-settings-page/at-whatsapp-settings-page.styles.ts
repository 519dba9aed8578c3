import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

// The frame (header, way back, title) is `at-settings-page`'s.
export default [
  componentStyles,
  css`
    :host {
      display: block;
    }
  `,
];

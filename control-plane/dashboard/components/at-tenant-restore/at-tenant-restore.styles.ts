import { componentStyles, confirmDialogStyles } from "../../styles/component.styles.js";

export default [componentStyles, ...confirmDialogStyles];

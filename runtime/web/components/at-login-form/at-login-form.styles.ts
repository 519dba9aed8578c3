import { componentStyles } from "../../styles/component.styles.js";
import { formCardStyles } from "../../styles/form-card.styles.js";

export default [componentStyles, formCardStyles];

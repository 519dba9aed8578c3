import AtStaffLogin from "./at-staff-login.component.js";

customElements.define("at-staff-login", AtStaffLogin);

declare global {
  interface HTMLElementTagNameMap {
    "at-staff-login": AtStaffLogin;
  }
}

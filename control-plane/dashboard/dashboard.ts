/** Entry of the staff dashboard bundle: defines the elements and mounts the shell. */
import "./components/at-dashboard-shell/at-dashboard-shell.js";

document.getElementById("app")?.replaceChildren(document.createElement("at-dashboard-shell"));

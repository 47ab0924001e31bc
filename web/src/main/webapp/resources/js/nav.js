// On a phone the top navigation folds into a menu button, so that the page gets the screen.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const toggle = document.getElementById("nav-toggle");
  const bar = toggle && toggle.closest(".topbar");
  if (!bar) {
    return;
  }
  const show = (open) => {
    bar.classList.toggle("nav-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => show(!bar.classList.contains("nav-open")));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && bar.classList.contains("nav-open")) {
      show(false);
      toggle.focus();
    }
  });
});

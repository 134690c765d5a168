// Progressive enhancement only: every form works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Buttons that remove something ask first.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }
});

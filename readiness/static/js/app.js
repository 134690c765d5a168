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

document.addEventListener("DOMContentLoaded", () => {
  // Optional "instead" answers (don't know, not applicable …): a real answer clears them,
  // and a button clears them on its own; the server still refuses both together.
  for (const group of document.querySelectorAll(".special-group[data-special-for]")) {
    const radios = group.querySelectorAll("input[type=radio]");
    const button = group.querySelector(".clear-special");
    const clear = () => {
      for (const radio of radios) radio.checked = false;
      button.hidden = true;
    };
    const answerInputs = group
      .closest(".question")
      .querySelectorAll(`[name="${group.dataset.specialFor}"]`);
    const onAnswer = (event) => {
      const input = event.target;
      const chosen = (input.type === "checkbox" || input.type === "radio") && input.checked;
      if (chosen || (input.type === "text" && input.value.trim())) clear();
    };
    for (const input of answerInputs) {
      input.addEventListener("input", onAnswer);
      input.addEventListener("change", onAnswer);
    }
    for (const radio of radios) {
      radio.addEventListener("change", () => {
        button.hidden = false;
        // the same on every question type: choosing "instead" clears the answer above
        for (const input of answerInputs) {
          if (input.type === "text") input.value = "";
          else input.checked = false;
          input.dispatchEvent(new Event("answer-cleared"));
        }
      });
    }
    button.hidden = ![...radios].some((radio) => radio.checked);
    button.addEventListener("click", clear);
  }
});

document.addEventListener("DOMContentLoaded", () => {
  // A chosen option of a one-answer question can be taken back (radios cannot, on their own).
  for (const button of document.querySelectorAll(".clear-answer[data-clear-for]")) {
    const radios = button
      .closest(".question")
      .querySelectorAll(`input[type=radio][name="${button.dataset.clearFor}"]`);
    const update = () => { button.hidden = ![...radios].some((radio) => radio.checked); };
    for (const radio of radios) {
      radio.addEventListener("change", update);
      radio.addEventListener("answer-cleared", update);
    }
    button.addEventListener("click", () => {
      for (const radio of radios) radio.checked = false;
      update();
      radios[0]?.focus();
    });
    update();
  }
});

document.addEventListener("DOMContentLoaded", () => {
  // Phones: fold the header's menu behind a button (wider screens hide the button by CSS).
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  document.documentElement.classList.add("js-menu");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
});

/* Copy buttons: a <button data-copy-target="ID"> copies the value of the read-only field ID. */
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy-target]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) {
    return;
  }
  const status = document.getElementById(button.dataset.copyStatus || "");
  const report = (text) => {
    if (status) {
      status.textContent = text;
    }
  };
  field.focus();
  field.select();
  const fallback = () => {
    // Plain-HTTP sites have no Clipboard API; the selected text is still copied this way.
    const ok = document.execCommand && document.execCommand("copy");
    report(ok ? button.dataset.copiedLabel : button.dataset.failedLabel);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(() => report(button.dataset.copiedLabel), fallback);
  } else {
    fallback();
  }
});

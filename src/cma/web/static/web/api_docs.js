// Swagger UI's Authorize dialog: its close button has no name, and its submit buttons'
// names ("Apply credentials") do not contain their visible text ("Authorize"), WCAG 4.1.2
// and 2.5.3. Name them whenever the dialog is drawn.
new MutationObserver(() => {
  for (const close of document.querySelectorAll(".swagger-ui .close-modal:not([aria-label])")) {
    close.setAttribute("aria-label", "Close");
  }
  for (const button of document.querySelectorAll('.swagger-ui [aria-label="Apply credentials"]')) {
    button.setAttribute("aria-label", `${button.textContent.trim()}: apply credentials`);
  }
}).observe(document.body, { childList: true, subtree: true });

// Staff pages' only script, loaded as a module (so it runs once the page is parsed). GOV.UK
// Frontend needs `govuk-frontend-supported` on <body> before it starts; its template sets
// that with an inline script, which our CSP forbids, so it is set here instead.
import { initAll as initGovuk } from "./vendor/govuk-frontend.min.js";
import { initAll as initMoj } from "./vendor/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();

// After an htmx swap: start the components in the new content, then move focus to what
// changed: an error summary (GOV.UK Frontend's ErrorSummary focuses itself when it
// starts), else a field marked invalid, else the new region's heading. With an outerHTML
// swap the event's target is the element that was replaced, so look it up again by id.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const region = (target.id && document.getElementById(target.id)) || target;
  initGovuk({ scope: region });
  initMoj(region);
  if (region.querySelector(".govuk-error-summary")) return;
  const invalid = region.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus(); // a one-field form (a team queue row) shows its error beside it
    return;
  }
  const heading = region.querySelector("h2, h3");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});

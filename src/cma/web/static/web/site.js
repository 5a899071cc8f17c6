// Staff pages' only script: after an htmx swap, move focus to the new region's heading
// so keyboard and screen-reader users land on what changed.
document.addEventListener("htmx:afterSwap", function (event) {
  var heading = event.detail.target.querySelector("h2, h3");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});

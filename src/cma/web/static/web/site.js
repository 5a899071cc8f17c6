// Staff pages' only script: after an htmx swap, move focus to the new region's heading
// so keyboard and screen-reader users land on what changed. With an outerHTML swap the
// event's target is the element that was replaced, so look the region up again by id.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  var region = (target.id && document.getElementById(target.id)) || target;
  var heading = region.querySelector("h2, h3");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});

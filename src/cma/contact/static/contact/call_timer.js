// The call screen's timer: minutes and seconds since the call started, counted on the
// server's clock (the page gives its time, so a wrong desktop clock does not matter).
// The button stops and restarts the display: content that updates by itself must be
// able to be paused (WCAG 2.2.2). Loaded as a module from a static file (the CSP
// allows no inline script).
const timer = document.querySelector("[data-call-timer]");
const toggle = document.querySelector("[data-call-timer-toggle]");

function shown(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

if (timer) {
  const started = Date.parse(timer.dataset.started);
  const skew = Date.parse(timer.dataset.serverNow) - Date.now();
  let handle = null;
  const tick = () => {
    const seconds = Math.max(0, Math.floor((Date.now() + skew - started) / 1000));
    timer.textContent = shown(seconds);
    timer.setAttribute("datetime", `PT${seconds}S`);
  };
  const start = () => {
    tick();
    handle = window.setInterval(tick, 1000);
    if (toggle) toggle.textContent = "Stop the timer";
  };
  const stop = () => {
    window.clearInterval(handle);
    handle = null;
    if (toggle) toggle.textContent = "Restart the timer";
  };
  start();
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => (handle === null ? start() : stop()));
  }
}

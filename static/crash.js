/* Managed Identity Playground — crash panel.
 * Release builds abort on a Rust panic (a WebAssembly trap, no Rust code runs after it), so the
 * "something went wrong" panel is shown from here. Plain DOM calls: no HTML strings. */
(function () {
  "use strict";
  function show(detail) {
    if (document.getElementById("crash-panel")) return;
    var panel = document.createElement("div");
    panel.id = "crash-panel";
    panel.setAttribute("role", "alert");
    panel.setAttribute("data-testid", "crash-panel");
    var title = document.createElement("h2");
    title.textContent = "Something went wrong — reload";
    var text = document.createElement("p");
    text.textContent = "The playground hit an internal error. Your input is still in the address bar: " +
      "reload the page to continue. Details are in the browser console.";
    var reload = document.createElement("a");
    reload.textContent = "Reload";
    reload.setAttribute("href", "");
    reload.className = "button";
    panel.appendChild(title);
    panel.appendChild(text);
    panel.appendChild(reload);
    (document.body || document.documentElement).prepend(panel);
    console.error("Managed Identity Playground crashed:", detail);
  }
  function isWasmTrap(error) {
    return typeof WebAssembly !== "undefined" && error instanceof WebAssembly.RuntimeError;
  }
  window.addEventListener("error", function (event) {
    if (isWasmTrap(event.error)) show(event.error);
  });
  window.addEventListener("unhandledrejection", function (event) {
    if (isWasmTrap(event.reason)) show(event.reason);
  });
})();

/* Managed Identity Playground — embed host script.
 * Add it once to a page that has <iframe data-mi-playground src=".../#/decoder?embed=1">;
 * each iframe is then resized to its content (up to its data-max-height, if it has one; the
 * widget then scrolls inside). A message is accepted only when it comes from the iframe's own
 * window and origin and has the expected shape. */
(function () {
  "use strict";
  var TYPE = "mi-playground:resize";
  var MAX_HEIGHT = 20000;

  function frameOrigin(frame) {
    try {
      return new URL(frame.getAttribute("src") || "", document.baseURI).origin;
    } catch (e) {
      return null;
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== TYPE) return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height) || height < 0) return;
    var frames = document.querySelectorAll("iframe[data-mi-playground]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (frameOrigin(frame) !== event.origin) return;
      var cap = parseInt(frame.getAttribute("data-max-height") || "", 10);
      var limit = cap > 0 ? Math.min(cap, MAX_HEIGHT) : MAX_HEIGHT;
      frame.style.height = Math.min(Math.ceil(height), limit) + "px";
      return;
    }
  });
})();

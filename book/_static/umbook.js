/* Loaded first on every page of the book (see book/_ext/umbook_html.py). */
(function () {
  "use strict";
  // 1. The widget manager typesets labels with the MathJax 2 call
  //    MathJax.Hub.Queue; the book uses MathJax 3, so translate the call.
  function withHub(mj) {
    if (mj && typeof mj === "object" && !mj.Hub) {
      Object.defineProperty(mj, "Hub", {
        enumerable: false, configurable: true,
        value: { Queue: function (job) {
          var el = job && job[2];
          var MJ = window.MathJax;
          if (el && MJ && typeof MJ.typesetPromise === "function") {
            MJ.typesetPromise([el]).catch(function () {});
          }
        } }
      });
    }
    return mj;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (v) { current = withHub(v); }
  });
  // 2. Accessibility: name the theme's section toggles (<summary> without text),
  //    and give docutils' citation list items the role its list role requires.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("summary").forEach(function (s) {
      if (!s.textContent.trim() && !s.getAttribute("aria-label")) {
        s.setAttribute("aria-label", "Show or hide this section");
      }
    });
    document.querySelectorAll('[role="list"]').forEach(function (list) {
      Array.prototype.forEach.call(list.children, function (child) {
        // docutils marks citations role="doc-biblioentry" (deprecated in ARIA 1.2)
        child.setAttribute("role", "listitem");
      });
    });
    // Widgets render asynchronously: name each slider handle after its label.
    new MutationObserver(function () {
      document.querySelectorAll(".noUi-handle:not([aria-label])").forEach(function (h) {
        var w = h.closest(".widget-slider, .jupyter-widgets");
        var label = w && w.querySelector(".widget-label");
        var text = label && label.textContent.trim();
        h.setAttribute("aria-label", text ? text + " slider" : "slider");
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();

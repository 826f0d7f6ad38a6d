/* Behaviour every page shares, driven by data- attributes, so that no template needs an inline script or an
   inline style (the Content-Security-Policy allows neither):
   - <select data-autosubmit> submits its form when the choice changes (the language switch, district pickers);
   - <div data-progress="42.5"> gets that width in per cent (progress bars, also in HTMX fragments). */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });

  function sizeProgressBars(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("[data-progress]") : []);
    if (root.matches && root.matches("[data-progress]")) { bars.push(root); }
    bars.forEach(function (bar) {
      var percent = parseFloat(bar.getAttribute("data-progress"));
      // Set through the CSSOM, which the policy allows (a style attribute in markup it would refuse).
      bar.style.width = (isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0) + "%";
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(sizeProgressBars);  // the page itself, then every fragment HTMX swaps in
  } else {
    sizeProgressBars(document);
  }
})();

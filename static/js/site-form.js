/* Show a sector's fieldset only when the sector is ticked (or when it already holds a value or an error). */
(function () {
  "use strict";
  var form = document.querySelector(".site-form");
  if (!form) { return; }
  function refresh() {
    var ticked = Array.prototype.map.call(form.querySelectorAll("input[name=sectors]:checked"), function (b) { return b.value; });
    form.querySelectorAll(".fact-group").forEach(function (group) {
      var sectors = group.dataset.sectors ? group.dataset.sectors.split(" ") : [];
      if (!sectors.length) return;
      var filled = Array.prototype.some.call(group.querySelectorAll("input, select"), function (el) { return el.value; });
      var invalid = group.querySelector(".is-invalid");
      var wanted = sectors.some(function (s) { return ticked.indexOf(s) >= 0; });
      group.hidden = !(wanted || filled || invalid);
    });
  }
  form.addEventListener("change", function (event) { if (event.target.name === "sectors") refresh(); });
  refresh();
})();

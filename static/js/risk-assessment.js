// The assessment form: show the factors of the chosen method (LEC or LS) and add risk points.
(function () {
  "use strict";
  function sync(fieldset) {
    var select = fieldset.querySelector("select[name$='-method']");
    if (!select) { return; }
    fieldset.querySelectorAll("[data-method]").forEach(function (row) {
      row.hidden = row.getAttribute("data-method") !== select.value;
    });
  }
  function wire(fieldset) {
    var select = fieldset.querySelector("select[name$='-method']");
    if (select) { select.addEventListener("change", function () { sync(fieldset); }); }
    sync(fieldset);
  }
  document.querySelectorAll(".risk-point").forEach(wire);
  var add = document.getElementById("add-risk-point");
  var template = document.getElementById("risk-point-template");
  var total = document.querySelector("input[name='points-TOTAL_FORMS']");
  if (!add || !template || !total) { return; }
  add.hidden = false;
  add.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fieldset = holder.querySelector(".risk-point");
    document.getElementById("risk-points").appendChild(fieldset);
    total.value = String(index + 1);
    wire(fieldset);
  });
})();

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
  // The empty form is cloned as nodes and its "__prefix__" renamed in attributes: no HTML string is parsed.
  function renumber(node, index) {
    Array.prototype.forEach.call(node.attributes || [], function (attribute) {
      if (attribute.value.indexOf("__prefix__") !== -1) {
        node.setAttribute(attribute.name, attribute.value.replace(/__prefix__/g, index));
      }
    });
    Array.prototype.forEach.call(node.children || [], function (child) { renumber(child, index); });
  }
  add.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var fieldset = template.content.querySelector(".risk-point").cloneNode(true);
    renumber(fieldset, String(index));
    document.getElementById("risk-points").appendChild(fieldset);
    total.value = String(index + 1);
    wire(fieldset);
  });
})();

/* The one way the platform's scripts put data on the page: as text, never as HTML.

   Names of places, units, streets and addresses are typed by users. Leaflet's bindTooltip/bindPopup/divIcon and
   ECharts' tooltip formatters take a string as HTML, so a string built from such data would run any markup in it.
   Every script therefore builds DOM nodes here (textContent, or attributes set one by one) and hands the node to
   the library. The JSON the server sends stays raw: the escaping happens here, once, where text meets the DOM.
   Loaded by base.html before every page's own script. */
(function () {
  "use strict";

  function asText(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  /* A link target that cannot run script: a same-site path or an http(s) address, never javascript: or data:. */
  function safeHref(value) {
    var href = asText(value).trim();
    return /^(\/(?!\/)|https?:\/\/)/i.test(href) ? href : null;
  }

  /* A new element. options: className, text (set as textContent), href (kept only if safeHref), title, attrs
     ({name: value}, set as attributes, so never parsed as markup), children (nodes or strings; strings become
     text nodes). */
  function element(tag, options) {
    var node = document.createElement(tag);
    var o = options || {};
    if (o.className) { node.className = o.className; }
    if (o.text !== undefined && o.text !== null) { node.textContent = asText(o.text); }
    if (o.href && safeHref(o.href)) { node.setAttribute("href", safeHref(o.href)); }
    if (o.title !== undefined && o.title !== null) { node.title = asText(o.title); }
    if (o.attrs) {
      Object.keys(o.attrs).forEach(function (name) { node.setAttribute(name, asText(o.attrs[name])); });
    }
    (o.children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "object" ? child : document.createTextNode(asText(child)));
    });
    return node;
  }

  /* A <span> holding value as text: what Leaflet tooltips, popups and divIcons receive instead of a string. */
  function text(value, className) {
    return element("span", { className: className, text: value });
  }

  /* An ECharts tooltip as a node: the header (the category, e.g. a street's name) and one row per series with its
     colour dot. ECharts' own tooltip markup carries inline style attributes, which the policy refuses, and a
     string formatter would be parsed as HTML; a node is neither. valueOf(item) gives a row's text after the name
     (default: the value, "—" when empty). Use as tooltip: { formatter: AnjianDom.chartTooltip() }. */
  function chartTooltip(valueOf) {
    var describe = valueOf || function (item) {
      var value = Array.isArray(item.value) ? item.value[item.value.length - 1] : item.value;
      return value === null || value === undefined || value === "" ? "—" : value;
    };
    return function (params) {
      var items = Array.isArray(params) ? params : [params];
      var header = items.length ? (items[0].axisValueLabel !== undefined ? items[0].axisValueLabel : items[0].name) : "";
      var rows = items.map(function (item) {
        var dot = element("span", { className: "chart-tooltip-dot" });
        if (typeof item.color === "string") { dot.style.backgroundColor = item.color; }  // CSSOM, not markup
        return element("div", { className: "chart-tooltip-row", children: [
          dot, element("span", { text: item.seriesName }), " ", element("strong", { text: describe(item) })
        ] });
      });
      return element("div", { className: "chart-tooltip", children: [element("div", { className: "fw-bold", text: header })].concat(rows) });
    };
  }

  window.AnjianDom = { element: element, text: text, chartTooltip: chartTooltip };
})();

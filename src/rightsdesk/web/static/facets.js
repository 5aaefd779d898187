// Facets (templates/_facets.html): "show all" opens a facet's full list in place, and a
// filter box narrows it as one types. Without JavaScript "show all" is a link to the page
// with every value listed, and the filter box stays hidden. Listeners sit on the document,
// so facets swapped in by htmx work too; the script may be loaded again by a swap (guarded).
(function () {
  function reveal() {
    document.querySelectorAll(".facet-filter[hidden]").forEach(function (box) {
      box.hidden = false;
    });
  }
  function items(facet) {
    return Array.prototype.slice.call(facet.querySelectorAll("li:not(.more):not(.none)"));
  }
  function showAll(facet) {
    items(facet).forEach(function (li) { li.hidden = false; });
    var more = facet.querySelector("li.more");
    if (more) { more.hidden = true; }
    facet.setAttribute("data-expanded", "true");
  }
  function filter(box) {
    var facet = box.closest(".facet");
    var text = box.value.trim().toLowerCase();
    var limit = parseInt(facet.getAttribute("data-facet-limit") || "25", 10);
    var expanded = facet.getAttribute("data-expanded") === "true";
    var shown = 0;
    items(facet).forEach(function (li, i) {
      var match = text === "" ? (expanded || i < limit || li.classList.contains("selected"))
        : li.textContent.toLowerCase().indexOf(text) !== -1;
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    var more = facet.querySelector("li.more");
    if (more) { more.hidden = text !== "" || expanded; }
    var none = facet.querySelector("li.none");
    if (none) { none.hidden = shown > 0; }
  }
  reveal();
  if (window.rightsdeskFacets) { return; }
  window.rightsdeskFacets = true;
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a[data-facet-all]");
    if (!link) { return; }
    ev.preventDefault();
    var facet = link.closest(".facet");
    showAll(facet);
    var box = facet.querySelector(".facet-filter");
    if (box) { box.focus(); }
  });
  document.addEventListener("input", function (ev) {
    if (ev.target.classList && ev.target.classList.contains("facet-filter")) {
      filter(ev.target);
    }
  });
  document.addEventListener("htmx:afterSettle", reveal);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  }
})();

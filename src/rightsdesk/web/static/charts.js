// Draws every Vega-Lite chart of a page with the vendored vega-embed (no inline script: the
// Content-Security-Policy forbids it). Markup: <div data-vega-spec="ID"></div> plus
// <script type="application/json" id="ID">{spec}</script>. Pages keep a table beside each
// chart, so nothing is lost without JavaScript. `ast: true` runs Vega's expressions with its
// interpreter (bundled by vl-convert) instead of compiling them with Function(), so the CSP
// needs no 'unsafe-eval'.
(function () {
  function draw() {
    if (!window.vegaEmbed) { return; }
    document.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-vega-spec"));
      if (!source) { return; }
      window.vegaEmbed(el, JSON.parse(source.textContent), { actions: false, ast: true })
        .then(function () { el.classList.add("vega-rendered"); })
        .catch(function (err) { el.textContent = "chart unavailable: " + err; });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

// Starts the vendored Swagger UI on /api/docs (no inline script: the Content-Security-Policy
// forbids it). The OpenAPI document's URL comes from the page's data-openapi-url attribute.
(function () {
  function start() {
    var el = document.getElementById("swagger-ui");
    if (!el || !window.SwaggerUIBundle) { return; }
    window.ui = window.SwaggerUIBundle({
      url: el.getAttribute("data-openapi-url"),
      dom_id: "#swagger-ui",
      deepLinking: false,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      validatorUrl: null,
      tryItOutEnabled: false
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

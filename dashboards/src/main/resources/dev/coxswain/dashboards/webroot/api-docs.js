// Swagger UI over this dashboard's own OpenAPI document. Reading needs nothing; the calls that change anything
// (controller mode, knobs, rollback) are refused by the server unless "Authorize" is given dashboard.token.
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});

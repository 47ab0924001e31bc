// The API documentation of LLM Chat: both OpenAPI documents, served by the server itself (no
// outside site is reached: no validator badge, no fonts from elsewhere).
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    urls: [
      { url: '/api/openapi?format=JSON', name: 'LLM Chat REST API (/api/v1)' },
      { url: '/openapi/v1?format=JSON', name: 'OpenAI-compatible API for applications (/v1)' }
    ],
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout'
  });
});

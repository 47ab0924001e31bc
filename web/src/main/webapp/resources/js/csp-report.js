// Every script the Content-Security-Policy blocks is logged and kept, so that a page that breaks
// under the policy shows why (the browser tests read window.llmchatCspViolations).
window.llmchatCspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = event.violatedDirective + " " + (event.blockedURI || "inline");
  window.llmchatCspViolations.push(violation);
  console.warn("Content-Security-Policy blocked", violation);
});

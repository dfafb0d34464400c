/**
 * Node-only entry of @parley/widget (`@parley/widget/server`): what the runtime needs to serve
 * `/widget.js` and the `/demo` page. Never imported by the browser bundle.
 */
export { buildWidget, ensureWidgetBuilt, widgetScriptPath } from "./build";
export { type DemoPageOptions, renderDemoPage, widgetHostContentSecurityPolicy } from "./demo-page";

/**
 * Local servers that speak the protocols integrations call (OAuth2 with PKCE, GraphQL), for tests of
 * other packages (`@parley/core/test-servers`); never used by the product itself.
 */
export { startOAuthServer } from "./oauth-server";

/**
 * Route policies: the wire schemas live in @parley/contract (the studio and the REST API accept
 * them); the model layer reads stored policies with the very same schemas.
 */
export {
  type RoutePolicy,
  type RoutePolicyInput,
  type RouteTarget,
  routePolicySchema,
  routeTargetSchema,
} from "@parley/contract";

/**
 * Public entry of @parley/config: validate each app's environment once, with messages that name the variable.
 */
export { ConfigError, parseEnv } from "./parse-env";
export { logLevelField, portField, postgresUrlField, redisUrlField, sharedEnvShape } from "./fields";

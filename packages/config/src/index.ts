/**
 * Public entry of @parley/config: validate each app's environment once, with messages that name the variable.
 */

export {
  logLevelField,
  mailEnvShape,
  portField,
  postgresUrlField,
  redisUrlField,
  sharedEnvShape,
} from "./fields";
export { ConfigError, parseEnv } from "./parse-env";

/**
 * Public entry of @parley/config: validate each app's environment once, with messages that name the variable.
 */

export {
  allowedHostsField,
  type CoreEnv,
  channelsEnvShape,
  coreEnvSchema,
  coreEnvShape,
  hotCacheEnvShape,
  modelProviderEnvShape,
  outboundEnvShape,
  TRANSCRIPT_HOT_MESSAGES_MIN,
  transcriptEnvShape,
} from "./core-env";
export {
  eventStreamEnvShape,
  logLevelField,
  mailEnvShape,
  outboundLimits,
  outboundLimitsEnvShape,
  portField,
  postgresUrlField,
  redisUrlField,
  sharedEnvShape,
} from "./fields";
export { ConfigError, parseEnv } from "./parse-env";

/** The pages' options from the configuration: none without a session secret (then only the API is served). */
import type { Config } from '../config';
import { createOidcSignIn } from './oidc';
import type { WebOptions } from './router';

/** The worktray and reports come from createApp's own `reports`. */
export function webOptionsFrom(config: Config): WebOptions | undefined {
  const { web } = config;
  if (web.sessionSecret === undefined) return undefined;
  return {
    sessionSecret: web.sessionSecret,
    publicUrl: web.publicUrl,
    tokenSignIn: web.tokenSignIn,
    oidc: web.oidc && createOidcSignIn(web.oidc, web.publicUrl),
    organisation: config.organisation,
  };
}

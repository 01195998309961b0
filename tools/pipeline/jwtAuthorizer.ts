/**
 * HTTP API's JWT authorizer, and a local dev issuer to test it with.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
import { randomUUID } from 'node:crypto';
import {
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import type { JwtContext } from './httpApiEvent';

/** An authorizer's configuration, as `aws_apigatewayv2_authorizer.jwt_configuration` and the route set it. */
export interface JwtAuthorizerConfig {
  /** The `iss` a token must carry. */
  issuer: string;
  /** A token's `aud` (or `client_id`) must be one of these. */
  audience: readonly string[];
  /** The issuer's keys (what API Gateway fetches from its `jwks_uri`). */
  jwks: JSONWebKeySet;
  /** The route's authorization scopes: when set, the token's `scope`/`scp` must hold one of them. */
  scopes?: readonly string[];
}

/** The authorizer's verdict. `reason` is for the local log and `www-authenticate`, never for the body. */
export type JwtVerdict = { ok: true; jwt: JwtContext } | { ok: false; statusCode: 401 | 403; reason: string };

// API Gateway accepts RSA-based signatures only.
const RSA_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);

function refuse(reason: string, statusCode: 401 | 403 = 401): JwtVerdict {
  return { ok: false, statusCode, reason };
}

function claimsOf(payload: JWTPayload): JwtContext['claims'] {
  const claims: JwtContext['claims'] = {};
  for (const [name, value] of Object.entries(payload)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      claims[name] = value;
    else if (Array.isArray(value)) claims[name] = value.map(String);
    else claims[name] = JSON.stringify(value);
  }
  return claims;
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter((s) => s !== '');
  if (Array.isArray(raw)) return raw.map(String);
  return [];
}

/**
 * Checks a request's `Authorization` header as HTTP API's JWT authorizer does, in its order: a token (alone or
 * after `Bearer `), a `kid` naming a key of the issuer's JWKS, an RSA signature by that key, `iss`, `aud` or
 * `client_id`, `exp` in the future, `nbf` and `iat` not in it, then the route's scopes (403 when none matches).
 *
 * @example
 * ```ts
 * const verdict = await verifyJwt(req.headers.authorization, { issuer, audience: ['ingest'], jwks });
 * if (!verdict.ok) return gatewayError(verdict.statusCode);
 * ```
 */
export async function verifyJwt(
  authorization: string | undefined,
  config: JwtAuthorizerConfig,
  nowMs: number = Date.now(),
): Promise<JwtVerdict> {
  if (authorization === undefined || authorization.trim() === '') return refuse('no Authorization header');
  const trimmed = authorization.trim();
  const token = trimmed.toLowerCase().startsWith('bearer ') ? trimmed.slice(7).trim() : trimmed;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
    if (token.split('.').length !== 3) throw new Error('not a JWS compact serialization');
  } catch {
    return refuse('the token is not a JWT');
  }
  if (typeof header.alg !== 'string' || !RSA_ALGORITHMS.has(header.alg))
    return refuse(`the token's algorithm ${String(header.alg)} is not an RSA one`);
  if (typeof header.kid !== 'string') return refuse('the token has no kid');
  if (!config.jwks.keys.some((k) => k.kid === header.kid))
    return refuse(`kid ${header.kid} is not a key of the issuer`);
  let payload: JWTPayload;
  try {
    const { payload: bytes } = await compactVerify(token, createLocalJWKSet(config.jwks), {
      algorithms: [...RSA_ALGORITHMS],
    });
    payload = JSON.parse(new TextDecoder().decode(bytes)) as JWTPayload;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      throw new Error('claims not an object');
  } catch {
    return refuse('the signature does not verify');
  }
  const now = nowMs / 1000;
  if (payload.iss !== config.issuer) return refuse(`iss ${String(payload.iss)} is not the issuer`);
  const audiences = [
    ...(Array.isArray(payload.aud) ? payload.aud : payload.aud === undefined ? [] : [payload.aud]),
    ...(typeof payload.client_id === 'string' ? [payload.client_id] : []),
  ];
  if (!audiences.some((a) => config.audience.includes(a))) return refuse('aud/client_id is not an audience');
  if (typeof payload.exp !== 'number') return refuse('the token has no exp');
  if (payload.exp <= now) return refuse('the token has expired');
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now))
    return refuse('the token is not valid yet (nbf)');
  if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > now))
    return refuse('the token was issued in the future (iat)');
  const scopes = scopesOf(payload);
  if (config.scopes && config.scopes.length > 0) {
    if (!scopes.some((s) => config.scopes!.includes(s))) return refuse('no scope of the route', 403);
    return { ok: true, jwt: { claims: claimsOf(payload), scopes } };
  }
  return { ok: true, jwt: { claims: claimsOf(payload), scopes: null } };
}

/** The local issuer's name: what its tokens carry as `iss` and the local authorizer expects. */
export const DEV_ISSUER = 'https://issuer.shardline.local/dev';
/** The scope of dev tokens. */
export const DEV_SCOPE = 'events/write';
/** The audience of dev tokens. */
export const DEV_AUDIENCE = 'shardline-ingest';

/** A local OpenID issuer that exists only in this process: a key pair made at start, its JWKS, its tokens. */
export interface DevIssuer {
  issuer: string;
  audience: string;
  /** The public keys, for {@link JwtAuthorizerConfig.jwks}. */
  jwks: JSONWebKeySet;
  /** Signs a token for `sub` (default `dev-producer`), valid for `expiresInSeconds` (default 12 h); `claims` override any claim. */
  issue(options?: { sub?: string; expiresInSeconds?: number; claims?: JWTPayload }): Promise<string>;
}

/**
 * Makes a dev issuer: an RS256 key pair generated now (nothing is served or written), tokens signed with it.
 *
 * @example
 * ```ts
 * const issuer = await createDevIssuer();
 * const token = await issuer.issue();
 * await verifyJwt(`Bearer ${token}`, { issuer: issuer.issuer, audience: [issuer.audience], jwks: issuer.jwks });
 * ```
 */
export async function createDevIssuer(
  options: { issuer?: string; audience?: string } = {},
): Promise<DevIssuer> {
  const issuer = options.issuer ?? DEV_ISSUER;
  const audience = options.audience ?? DEV_AUDIENCE;
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    issuer,
    audience,
    jwks: { keys: [jwk] },
    issue: async ({ sub = 'dev-producer', expiresInSeconds = 12 * 3600, claims = {} } = {}) => {
      const now = Math.floor(Date.now() / 1000);
      // `claims` last, so a test can make any claim wrong.
      const payload = {
        iss: issuer,
        aud: audience,
        sub,
        iat: now,
        exp: now + expiresInSeconds,
        scope: DEV_SCOPE,
        ...claims,
      };
      return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
    },
  };
}

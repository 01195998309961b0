import { generateKeyPair, SignJWT } from 'jose';
import {
  createDevIssuer,
  DEV_SCOPE,
  verifyJwt,
  type DevIssuer,
  type JwtAuthorizerConfig,
} from './jwtAuthorizer';

describe('verifyJwt', () => {
  let issuer: DevIssuer;
  let config: JwtAuthorizerConfig;
  beforeAll(async () => {
    issuer = await createDevIssuer();
    config = { issuer: issuer.issuer, audience: [issuer.audience], jwks: issuer.jwks };
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a dev token, with or without Bearer, and hands its claims on', async () => {
    // Prepare
    const token = await issuer.issue({ sub: 'producer-7', claims: { tenant: 'games', groups: ['a', 'b'] } });

    // Act
    const bearer = await verifyJwt(`Bearer ${token}`, config);
    const bare = await verifyJwt(token, config);

    // Assess
    expect(bearer).toMatchObject({
      ok: true,
      jwt: {
        claims: {
          sub: 'producer-7',
          iss: issuer.issuer,
          aud: issuer.audience,
          tenant: 'games',
          groups: ['a', 'b'],
        },
        scopes: null,
      },
    });
    expect(bare.ok).toBe(true);
  });

  it('accepts client_id in place of aud, as for Cognito access tokens', async () => {
    // Prepare
    const token = await issuer.issue({ claims: { aud: undefined, client_id: issuer.audience } });

    // Act & Assess
    expect((await verifyJwt(token, config)).ok).toBe(true);
  });

  it('checks the route scopes: 403 without one of them, the token scopes handed on with one', async () => {
    // Prepare
    const token = await issuer.issue();

    // Act
    const granted = await verifyJwt(token, { ...config, scopes: [DEV_SCOPE, 'other'] });
    const forbidden = await verifyJwt(token, { ...config, scopes: ['admin'] });

    // Assess
    expect(granted).toMatchObject({ ok: true, jwt: { scopes: [DEV_SCOPE] } });
    expect(forbidden).toEqual({ ok: false, statusCode: 403, reason: 'no scope of the route' });
  });

  it.each<[string, () => Promise<string | undefined>, string]>([
    ['no header', async () => undefined, 'no Authorization header'],
    ['an empty header', async () => '  ', 'no Authorization header'],
    ['not a JWT', async () => 'Bearer not-a-token', 'the token is not a JWT'],
    [
      'the claims past the header',
      async () => `Bearer ${(await issuer.issue()).split('.').slice(0, 2).join('.')}`,
      'the token is not a JWT',
    ],
    ['an expired token', () => issuer.issue({ claims: { exp: now() - 5 } }), 'the token has expired'],
    ['no exp', () => issuer.issue({ claims: { exp: undefined } }), 'the token has no exp'],
    [
      'a token not valid yet',
      () => issuer.issue({ claims: { nbf: now() + 600 } }),
      'the token is not valid yet (nbf)',
    ],
    [
      'a token issued in the future',
      () => issuer.issue({ claims: { iat: now() + 600 } }),
      'the token was issued in the future (iat)',
    ],
    [
      'another issuer',
      () => issuer.issue({ claims: { iss: 'https://evil.example' } }),
      'iss https://evil.example is not the issuer',
    ],
    [
      'another audience',
      () => issuer.issue({ claims: { aud: 'someone-else' } }),
      'aud/client_id is not an audience',
    ],
    [
      'a tampered payload',
      async () => {
        const [h, , s] = (await issuer.issue()).split('.');
        const forged = Buffer.from(
          JSON.stringify({ iss: issuer.issuer, aud: issuer.audience, exp: now() + 60, sub: 'admin' }),
        ).toString('base64url');
        return `${h}.${forged}.${s}`;
      },
      'the signature does not verify',
    ],
  ])('refuses %s with 401', async (_, token, reason) => {
    // Act
    const verdict = await verifyJwt(await token(), config);

    // Assess
    expect(verdict).toEqual({ ok: false, statusCode: 401, reason });
  });

  it('refuses a token signed by another key under the same kid, another kid, or a non-RSA algorithm', async () => {
    // Prepare
    const kid = issuer.jwks.keys[0]!.kid!;
    const claims = { iss: issuer.issuer, aud: issuer.audience, exp: now() + 60 };
    const rsa = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    const sameKid = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(rsa.privateKey);
    const otherKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'other' })
      .sign(rsa.privateKey);
    const noKid = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    const ecdsa = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).sign(ec.privateKey);

    // Act & Assess
    expect(await verifyJwt(sameKid, config)).toMatchObject({
      ok: false,
      statusCode: 401,
      reason: 'the signature does not verify',
    });
    expect(await verifyJwt(otherKid, config)).toMatchObject({
      ok: false,
      reason: 'kid other is not a key of the issuer',
    });
    expect(await verifyJwt(noKid, config)).toMatchObject({ ok: false, reason: 'the token has no kid' });
    expect(await verifyJwt(ecdsa, config)).toMatchObject({
      ok: false,
      reason: "the token's algorithm ES256 is not an RSA one",
    });
  });
});

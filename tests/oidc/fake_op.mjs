// A deliberately misbehaving OpenID Provider for spot's attack tests. Each mode is its own issuer,
// http://localhost:<port>/<mode>, so one spot can be configured with one provider per mode. The authorization
// endpoint answers at once (no login page); the token endpoint signs an ID token that is correct except for the
// one thing the mode breaks. Mode `good` breaks nothing: it shows the rest of each token would be accepted.
//
//   good     a correct token                     nonce    the wrong nonce
//   aud      issued for another client           expired  expired 10 minutes ago
//   skewok   issued 30 s in the future (within the leeway)
//   lateok   expired 20 s ago (within the leeway)
//   future   issued 15 minutes in the future     iss      another issuer in the token
//   unknownkid  signed with a key never published
//   badsig   signed with another key under the published key's id
//   rotate   signed with a key published only once the token is issued (a key rotation)
//   mixup    the discovery document names another issuer
//   cbiss    the callback carries another issuer's `iss` parameter (RFC 9207)
//   denied   the person refuses: the callback carries error=access_denied
//
// Prints {"ready": {"base": "http://localhost:<port>"}}.

import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://localhost:${server.address().port}`;

async function key(kid) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}
const published = await key('main');
const impostor = await key('main');
const neverPublished = await key('ghost');
const rotated = await key('next');
let rotationDone = false;

const codes = new Map();
const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

async function readBody(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return new URLSearchParams(data);
}

async function idToken(mode, issuer, audience, nonce) {
  const now = Math.floor(Date.now() / 1000);
  let iat = now;
  let exp = now + 300;
  const claims = {
    sub: `user-${mode}`, nonce, email: `${mode}@example.org`, email_verified: true,
    preferred_username: `fake_${mode}`, name: `Fake ${mode}`,
  };
  let iss = issuer;
  let aud = audience;
  let signer = published;
  if (mode === 'nonce') claims.nonce = 'not-the-nonce-spot-sent';
  if (mode === 'aud') aud = 'some-other-client';
  if (mode === 'expired') { iat = now - 900; exp = now - 600; }
  if (mode === 'skewok') { iat = now + 30; exp = now + 330; }
  if (mode === 'lateok') { iat = now - 300; exp = now - 20; }
  if (mode === 'future') { iat = now + 900; exp = now + 1200; }
  if (mode === 'iss') iss = `${base}/other`;
  if (mode === 'unknownkid') signer = neverPublished;
  if (mode === 'badsig') signer = impostor;
  if (mode === 'rotate') { signer = rotated; rotationDone = true; }
  return new SignJWT({ ...claims, iat, exp })
    .setProtectedHeader({ alg: 'RS256', kid: signer.kid, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud)
    .sign(signer.privateKey);
}

server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, base);
    const [, mode, ...rest] = url.pathname.split('/');
    const endpoint = rest.join('/');
    const issuer = `${base}/${mode}`;
    if (endpoint === '.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: mode === 'mixup' ? `${base}/elsewhere` : issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (endpoint === 'jwks') {
      const keys = [published.jwk];
      if (mode === 'rotate' && rotationDone) keys.push(rotated.jwk);
      return json(res, 200, { keys });
    }
    if (endpoint === 'authorize') {
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('state', url.searchParams.get('state'));
      if (mode === 'denied') {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(16).toString('hex');
        codes.set(code, { mode, nonce: url.searchParams.get('nonce'), client: url.searchParams.get('client_id') });
        back.searchParams.set('code', code);
      }
      if (mode === 'cbiss') back.searchParams.set('iss', `${base}/other`);
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (endpoint === 'token' && req.method === 'POST') {
      const form = await readBody(req);
      const grant = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      if (!grant || !req.headers.authorization) return json(res, 400, { error: 'invalid_grant' });
      const token = await idToken(grant.mode, issuer, grant.client, grant.nonce);
      console.log(JSON.stringify({ event: 'token', mode }));
      return json(res, 200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: token });
    }
    if (endpoint === 'userinfo') return json(res, 200, { sub: `user-${mode}` });
    res.writeHead(404);
    res.end();
  } catch (error) {
    console.log(JSON.stringify({ event: 'fault', error: String(error) }));
    res.writeHead(500);
    res.end();
  }
});
console.log(JSON.stringify({ ready: { base } }));

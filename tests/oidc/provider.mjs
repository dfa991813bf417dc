// A real OpenID Provider for spot's single sign-on tests: npm's oidc-provider (a certified implementation) on
// loopback, with one confidential client for spot and a few test users. Its development login and consent pages
// accept any password: the tests are about spot's side of the protocol.
//
// Environment: SPOT_BASE (spot's URL, for the redirect URIs), SPOT_PROVIDER (the provider's name in spot.toml).
// Prints {"ready": {"issuer": …}} when it listens, then one JSON line per event worth knowing.

import http from 'node:http';
import Provider from 'oidc-provider';

const spot = process.env.SPOT_BASE;
const name = process.env.SPOT_PROVIDER || 'idp';
if (!spot) throw new Error('SPOT_BASE is required');

// What each test user's claims say about them.
const USERS = {
  alice: { email: 'alice@example.org', email_verified: true, name: 'Alice Liddell', preferred_username: 'alice', groups: ['friends'] },
  bob: { email: 'bob@elsewhere.example', email_verified: true, name: 'Bob', preferred_username: 'bob', groups: ['friends'] },
  carol: { email: 'carol@example.org', email_verified: true, name: 'Carol', preferred_username: 'carol', groups: ['friends', 'spot-admins'] },
  dave: { email: 'dave@example.org', email_verified: false, name: 'Dave', preferred_username: 'dave', groups: ['friends'] },
  erin: { email: 'erin@example.org', email_verified: true, name: 'Erin', preferred_username: 'admin', groups: ['strangers'] },
};

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://localhost:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'spot',
    client_secret: 'spot-test-secret',
    redirect_uris: [`${spot}/auth/oidc/${name}/callback`],
    post_logout_redirect_uris: [`${spot}/login`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  cookies: { keys: ['spot-tests-only-cookie-key'] },
  features: {
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user }; } };
  },
});
provider.on('grant.error', (ctx, error) => console.log(JSON.stringify({ event: 'grant.error', error: error.error })));
provider.on('grant.success', () => console.log(JSON.stringify({ event: 'grant.success' })));
server.on('request', provider.callback());
console.log(JSON.stringify({ ready: { issuer } }));

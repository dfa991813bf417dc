-- Single sign-on with OpenID Connect: identities linked to accounts, and which provider a session came through.

-- An identity is the provider's (issuer, subject) pair, never an email address. One account may link one
-- identity per issuer; an identity belongs to one account.
CREATE TABLE oidc_identities (
    issuer        TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email         TEXT,                         -- as last stated by the provider; shown to admins, never matched
    admin_granted INTEGER NOT NULL DEFAULT 0,   -- 1: this provider's admin_groups made the user an admin
    linked_at     INTEGER NOT NULL,
    last_login_at INTEGER,
    PRIMARY KEY (issuer, subject),
    UNIQUE (user_id, issuer)
) STRICT, WITHOUT ROWID;

-- Sessions opened through a provider, so logout can offer that provider's single logout.
CREATE TABLE oidc_sessions (
    token_hash BLOB PRIMARY KEY REFERENCES sessions(token_hash) ON DELETE CASCADE,
    provider   TEXT NOT NULL                     -- the provider's name in spot.toml
) STRICT, WITHOUT ROWID;

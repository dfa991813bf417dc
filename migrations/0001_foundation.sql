-- The foundation: users, sessions, invites and the home space (one guild, its channels and members).
-- Ids are Discord-style snowflakes; times are milliseconds since the Unix epoch.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    global_name   TEXT,
    password_hash TEXT,                         -- NULL: cannot log in with a password (bots, SSO-only)
    is_admin      INTEGER NOT NULL DEFAULT 0,
    is_bot        INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash   BLOB    PRIMARY KEY,           -- SHA-256 of the 32-byte token; the token itself is never stored
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    ip           TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE guilds (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE channels (
    id        INTEGER PRIMARY KEY,
    guild_id  INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
    type      INTEGER NOT NULL,                 -- Discord channel types: 0 text, 2 voice, 4 category, …
    name      TEXT    NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0,
    parent_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    topic     TEXT
) STRICT;
CREATE INDEX channels_by_guild ON channels(guild_id, position);

CREATE TABLE members (
    guild_id  INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    nick      TEXT,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX members_by_user ON members(user_id);

CREATE TABLE invites (
    code       TEXT    PRIMARY KEY,
    guild_id   INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
    channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    inviter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    max_uses   INTEGER NOT NULL DEFAULT 1,      -- 0: unlimited
    uses       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,                         -- NULL: never
    revoked    INTEGER NOT NULL DEFAULT 0
) STRICT;

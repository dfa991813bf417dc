-- Webhooks and what messages from bots' interactions carry. A webhook posts as itself: it has a user row
-- (is_webhook = 1; never a member, never logs in) so messages keep referencing users(id). Per message, the
-- `extra` JSON holds what only some messages have: the webhook and the name/avatar it posted under, the
-- application, message components and interaction metadata.
ALTER TABLE users ADD COLUMN is_webhook INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';

CREATE TABLE webhooks (
    id             INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    guild_id       INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
    channel_id     INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    avatar         TEXT,                              -- hash of a file under <data_dir>/avatars/<id>/
    token_hash     BLOB    NOT NULL,                  -- SHA-256 of the secret token; the token is shown once
    creator_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX webhooks_by_channel ON webhooks(channel_id);

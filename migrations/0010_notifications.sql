-- Notifications: Web Push subscriptions (one browser session each), the VAPID key that signs the pushes, and
-- Discord's per-user notification settings ("user guild settings": the space, and DMs as guild NULL, with
-- per-channel overrides).
CREATE TABLE push_subscriptions (
    endpoint     TEXT    PRIMARY KEY,                -- the push service URL the browser gave
    session_hash BLOB    NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    p256dh       BLOB    NOT NULL,                   -- the browser's P-256 public key (65 bytes)
    auth         BLOB    NOT NULL,                   -- its 16-byte authentication secret
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX push_subscriptions_by_user ON push_subscriptions(user_id);
CREATE INDEX push_subscriptions_by_session ON push_subscriptions(session_hash);

CREATE TABLE instance_keys (
    name  TEXT PRIMARY KEY,                          -- 'vapid': the ES256 private key (32 bytes)
    value BLOB NOT NULL
) STRICT;

CREATE TABLE notification_settings (
    user_id               INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    guild_id              INTEGER NOT NULL,          -- 0: direct messages and group DMs
    message_notifications INTEGER NOT NULL,          -- 0 all, 1 mentions only, 2 nothing
    muted                 INTEGER NOT NULL DEFAULT 0,
    mute_end              INTEGER,                   -- ms; NULL with muted = until turned back on
    mute_window           INTEGER,                   -- seconds as the client chose it (-1: until turned back on)
    suppress_everyone     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, guild_id)
) STRICT;

CREATE TABLE channel_notification_overrides (
    user_id               INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel_id            INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    message_notifications INTEGER NOT NULL DEFAULT 3, -- 0 all, 1 mentions only, 2 nothing, 3 as the space/DMs
    muted                 INTEGER NOT NULL DEFAULT 0,
    mute_end              INTEGER,
    mute_window           INTEGER,
    PRIMARY KEY (user_id, channel_id)
) STRICT;

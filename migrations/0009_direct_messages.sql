-- Direct messages and group DMs: channels that belong to no guild. SQLite cannot drop a NOT NULL constraint in
-- place, so the channels table is rebuilt (SQLite's documented 12-step procedure; the migration runner turns
-- foreign keys off around it and checks them before committing, so no row that references a channel is lost).
CREATE TABLE channels_new (
    id                    INTEGER PRIMARY KEY,
    guild_id              INTEGER REFERENCES guilds(id) ON DELETE CASCADE,  -- NULL: a DM or group DM
    type                  INTEGER NOT NULL,         -- Discord channel types: 0 text, 1 DM, 2 voice, 3 group DM, 4 category, …
    name                  TEXT    NOT NULL,         -- '' for a DM and an unnamed group
    position              INTEGER NOT NULL DEFAULT 0,
    parent_id             INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    topic                 TEXT,
    last_message_id       INTEGER,
    nsfw                  INTEGER NOT NULL DEFAULT 0,
    rate_limit_per_user   INTEGER NOT NULL DEFAULT 0,
    owner_id              INTEGER,                  -- threads: who started it; group DMs: the owner; DMs: who opened it
    archived              INTEGER NOT NULL DEFAULT 0,
    locked                INTEGER NOT NULL DEFAULT 0,
    auto_archive_duration INTEGER NOT NULL DEFAULT 1440,
    archive_timestamp     INTEGER,
    message_count         INTEGER NOT NULL DEFAULT 0,
    last_pin_timestamp    INTEGER,
    created_at            INTEGER NOT NULL DEFAULT 0,
    icon                  TEXT,                     -- group DMs: icon hash
    CHECK ((guild_id IS NULL) = (type IN (1, 3)))
) STRICT;
INSERT INTO channels_new (id, guild_id, type, name, position, parent_id, topic, last_message_id, nsfw,
                          rate_limit_per_user, owner_id, archived, locked, auto_archive_duration, archive_timestamp,
                          message_count, last_pin_timestamp, created_at)
    SELECT id, guild_id, type, name, position, parent_id, topic, last_message_id, nsfw, rate_limit_per_user,
           owner_id, archived, locked, auto_archive_duration, archive_timestamp, message_count, last_pin_timestamp,
           created_at
    FROM channels;
DROP TABLE channels;
ALTER TABLE channels_new RENAME TO channels;
CREATE INDEX channels_by_guild ON channels(guild_id, position);

-- Who is in a DM or group DM. `open` is 0 once a DM was closed by this person (it reopens with the next
-- message, as on Discord); leaving a group removes the row.
CREATE TABLE dm_recipients (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at  INTEGER NOT NULL,
    open       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (channel_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX dm_recipients_by_user ON dm_recipients(user_id, channel_id);

-- One DM per pair of people (low id first): opening a DM again returns the same channel.
CREATE TABLE dm_pairs (
    low_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    high_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL UNIQUE REFERENCES channels(id) ON DELETE CASCADE,
    PRIMARY KEY (low_id, high_id),
    CHECK (low_id < high_id)
) STRICT, WITHOUT ROWID;

-- Blocks: `user_id` blocked `blocked_id` (no DMs or group adds from them; their messages collapse).
CREATE TABLE blocks (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX blocks_by_blocked ON blocks(blocked_id);

-- 1: direct messages from people in the space are refused (conversations the user started stay open).
ALTER TABLE users ADD COLUMN dms_restricted INTEGER NOT NULL DEFAULT 0;

-- The space's own expressions: custom emoji, stickers and soundboard sounds (their files live under
-- <data_dir>/expressions/<id>), and what voice messages add to an attachment.

CREATE TABLE emojis (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    animated   INTEGER NOT NULL DEFAULT 0,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,   -- who uploaded it
    roles      TEXT    NOT NULL DEFAULT '[]',                     -- JSON array of role ids (kept as given)
    deleted    INTEGER NOT NULL DEFAULT 0,                        -- kept so old reactions still have a name
    created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX emojis_by_name ON emojis(guild_id, name) WHERE deleted = 0;

CREATE TABLE stickers (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    tags        TEXT    NOT NULL,                                 -- the related emoji
    format_type INTEGER NOT NULL,                                 -- 1 PNG, 2 APNG, 4 GIF (Discord's)
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX stickers_by_name ON stickers(guild_id, name) WHERE deleted = 0;

CREATE TABLE soundboard_sounds (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    volume       REAL    NOT NULL DEFAULT 1.0,
    emoji_id     INTEGER,
    emoji_name   TEXT,
    content_type TEXT    NOT NULL,
    duration_ms  INTEGER NOT NULL,
    user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX sounds_by_name ON soundboard_sounds(guild_id, name);

-- Voice messages: the recording's length and its waveform (base64, up to 256 one-byte samples).
ALTER TABLE attachments ADD COLUMN duration_secs REAL;
ALTER TABLE attachments ADD COLUMN waveform TEXT;

-- The new permissions a friend group expects everyone to have: add emoji, stickers and sounds
-- (CREATE_GUILD_EXPRESSIONS), use the soundboard (and other spaces' sounds), send voice messages. They did not
-- exist before, so nobody chose to deny them.
UPDATE roles SET permissions = permissions | (1 << 42) | (1 << 43) | (1 << 45) | (1 << 46) WHERE id = guild_id;

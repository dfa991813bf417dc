-- Chat: roles and permissions, bots, messages, reactions, pins, threads, attachments, read state, search.
-- Discord conventions: the @everyone role's id is the guild's id; permission bitfields are 64-bit integers.

CREATE TABLE roles (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    permissions INTEGER NOT NULL DEFAULT 0,
    position    INTEGER NOT NULL DEFAULT 0,
    color       INTEGER NOT NULL DEFAULT 0,
    hoist       INTEGER NOT NULL DEFAULT 0,
    mentionable INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX roles_by_guild ON roles(guild_id, position);

CREATE TABLE member_roles (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    role_id  INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (guild_id, user_id, role_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members(guild_id, user_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE channel_overwrites (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    target_id  INTEGER NOT NULL,                -- a role id or a user id
    kind       INTEGER NOT NULL,                -- 0 role, 1 member
    allow      INTEGER NOT NULL DEFAULT 0,
    deny       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, target_id)
) STRICT, WITHOUT ROWID;

-- Thread and text-channel details live on the channel row.
ALTER TABLE channels ADD COLUMN last_message_id INTEGER;
ALTER TABLE channels ADD COLUMN nsfw INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN rate_limit_per_user INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN owner_id INTEGER;                       -- threads: who started it
ALTER TABLE channels ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN auto_archive_duration INTEGER NOT NULL DEFAULT 1440;
ALTER TABLE channels ADD COLUMN archive_timestamp INTEGER;
ALTER TABLE channels ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN last_pin_timestamp INTEGER;
ALTER TABLE channels ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;

CREATE TABLE thread_members (
    thread_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
) STRICT, WITHOUT ROWID;

-- Bot accounts are users with is_bot = 1 and a token; only its SHA-256 is stored.
CREATE TABLE bot_tokens (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash BLOB    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE messages (
    id                   INTEGER PRIMARY KEY,
    channel_id           INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    author_id            INTEGER NOT NULL REFERENCES users(id),
    content              TEXT    NOT NULL DEFAULT '',
    type                 INTEGER NOT NULL DEFAULT 0,
    flags                INTEGER NOT NULL DEFAULT 0,
    tts                  INTEGER NOT NULL DEFAULT 0,
    nonce                TEXT,
    edited_at            INTEGER,
    pinned               INTEGER NOT NULL DEFAULT 0,
    pinned_at            INTEGER,
    mention_everyone     INTEGER NOT NULL DEFAULT 0,
    mentions             TEXT    NOT NULL DEFAULT '[]',   -- JSON array of user ids (strings)
    mention_roles        TEXT    NOT NULL DEFAULT '[]',   -- JSON array of role ids (strings)
    embeds               TEXT    NOT NULL DEFAULT '[]',   -- JSON array of Discord embed objects
    reference_message_id INTEGER,
    reference_channel_id INTEGER,
    thread_id            INTEGER                          -- a thread started from this message
) STRICT;
CREATE INDEX messages_by_channel ON messages(channel_id, id);
CREATE INDEX messages_pinned ON messages(channel_id, pinned_at) WHERE pinned = 1;

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    width        INTEGER,
    height       INTEGER,
    description  TEXT
) STRICT;
CREATE INDEX attachments_by_message ON attachments(message_id);

CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    emoji      TEXT    NOT NULL,                  -- the unicode emoji itself
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE read_states (
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    last_message_id INTEGER NOT NULL DEFAULT 0,
    mention_count   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, channel_id)
) STRICT, WITHOUT ROWID;

-- Full-text search over message content, kept in step by triggers.
CREATE VIRTUAL TABLE messages_fts USING fts5(content, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;

-- Existing home spaces get their @everyone role (id = guild id) with Discord's default member permissions.
INSERT INTO roles (id, guild_id, name, permissions, position)
    SELECT id, id, '@everyone', 517647748672, 0 FROM guilds;

-- Application commands (slash commands and context menus) that bots register: global (guild_id NULL) or for
-- the space. The definition is the command as the bot sent it, validated, kept as JSON (options, choices,
-- localizations as given).
CREATE TABLE application_commands (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    guild_id       INTEGER REFERENCES guilds(id) ON DELETE CASCADE,
    type           INTEGER NOT NULL,                 -- 1 chat input, 2 user, 3 message
    name           TEXT    NOT NULL,
    definition     TEXT    NOT NULL,
    version        INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX application_commands_by_name
    ON application_commands(application_id, coalesce(guild_id, 0), type, name);

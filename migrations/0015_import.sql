-- History brought in from a Discord export (`spot import discord`, the admin panel's Import page).

-- An imported person: a user row that shows their name, picture and colour on what they wrote, and never logs
-- in (no password, not a member). Claiming moves their history to an account.
ALTER TABLE users ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
CREATE TABLE imported_people (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    source_id  INTEGER NOT NULL UNIQUE,                          -- their Discord id
    tag        TEXT    NOT NULL,                                 -- name#discriminator, as Discord showed it
    color      INTEGER,                                          -- their top role's colour
    is_bot     INTEGER NOT NULL DEFAULT 0,
    claimed_by INTEGER REFERENCES users(id) ON DELETE SET NULL   -- the account their history moved to
) STRICT;

-- What each imported Discord id became here, so a second import skips what the first brought in.
CREATE TABLE import_ids (
    kind      TEXT    NOT NULL,   -- 'channel' or 'message'
    source_id INTEGER NOT NULL,   -- the Discord snowflake
    spot_id   INTEGER NOT NULL,
    PRIMARY KEY (kind, source_id)
) STRICT, WITHOUT ROWID;

-- An invite can carry a claim: "this invite is for the person who was Alex#1234 on Discord". Signing up with it
-- gives the new account that imported person's history.
ALTER TABLE invites ADD COLUMN claims INTEGER REFERENCES users(id) ON DELETE SET NULL;

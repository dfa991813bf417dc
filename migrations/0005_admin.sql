-- The admin panel: instance settings changed at run time (they win over spot.toml for their keys), the audit log
-- of admin actions, and the home space's icon.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                   -- JSON
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,         -- snowflake: also the time of the action
    actor_id INTEGER REFERENCES users(id),-- NULL: the command line on the server
    action   TEXT    NOT NULL,            -- e.g. user.create, channel.delete
    target   TEXT    NOT NULL DEFAULT '', -- what it was done to, as shown to admins
    detail   TEXT    NOT NULL DEFAULT ''  -- a short human-readable summary
) STRICT;

ALTER TABLE guilds ADD COLUMN icon TEXT;  -- hash of the icon image under <data_dir>/icons/<guild id>/

-- Credentials that ended: a browser session deleted (logout, "log out everywhere", ended from the session list,
-- a password change, expiry), a bot token rotated or removed, an account disabled. Triggers record them in the
-- same transaction as the change, whoever made it: the server, the admin panel, or the CLI writing beside a
-- running server. The server reads new rows and closes the gateway and voice connections that used them.
CREATE TABLE revocations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a reader's "after id" never skips a row
    user_id      INTEGER NOT NULL,
    session_hash BLOB,                               -- one browser session; NULL: every credential of the user
    created_at   INTEGER NOT NULL                    -- seconds since the Unix epoch, for pruning
) STRICT;

CREATE TRIGGER revoke_session AFTER DELETE ON sessions BEGIN
    INSERT INTO revocations (user_id, session_hash, created_at) VALUES (OLD.user_id, OLD.token_hash, unixepoch());
END;

CREATE TRIGGER revoke_rotated_bot_token AFTER UPDATE OF token_hash ON bot_tokens
WHEN OLD.token_hash IS NOT NEW.token_hash BEGIN
    INSERT INTO revocations (user_id, session_hash, created_at) VALUES (OLD.user_id, NULL, unixepoch());
END;

CREATE TRIGGER revoke_removed_bot_token AFTER DELETE ON bot_tokens BEGIN
    INSERT INTO revocations (user_id, session_hash, created_at) VALUES (OLD.user_id, NULL, unixepoch());
END;

CREATE TRIGGER revoke_disabled_user AFTER UPDATE OF disabled ON users
WHEN NEW.disabled AND NOT OLD.disabled BEGIN
    INSERT INTO revocations (user_id, session_hash, created_at) VALUES (NEW.id, NULL, unixepoch());
END;

-- What a bot's application says about itself beyond its user (`PATCH /applications/@me`).
CREATE TABLE applications (
    id          INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    description TEXT    NOT NULL DEFAULT ''
) STRICT;

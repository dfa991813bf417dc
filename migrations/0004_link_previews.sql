-- Link previews: embeds unfurled from the URLs in a message, kept apart from the embeds its author sent so an
-- edit can replace one without touching the other; and the per-URL cache of what a link unfurls to.
ALTER TABLE messages ADD COLUMN link_embeds TEXT NOT NULL DEFAULT '[]';   -- JSON array of Discord embeds

CREATE TABLE link_previews (
    url        TEXT    PRIMARY KEY,
    embed      TEXT,                      -- one Discord embed as JSON; NULL when the URL has no preview
    fetched_at INTEGER NOT NULL           -- Unix milliseconds
) STRICT, WITHOUT ROWID;

-- The DJ's music library: one row per audio file found under the configured folders, with its tags, searchable
-- through FTS5; cover art kept apart so listing tracks stays light.
CREATE TABLE music_tracks (
    id           INTEGER PRIMARY KEY,
    path         TEXT    NOT NULL UNIQUE,  -- absolute path of the file
    size         INTEGER NOT NULL,         -- bytes, with mtime: how a rescan notices a changed file
    mtime        INTEGER NOT NULL,         -- Unix milliseconds
    title        TEXT    NOT NULL,
    artist       TEXT,
    album        TEXT,
    track_number INTEGER,
    duration_ms  INTEGER
) STRICT;

CREATE TABLE music_covers (
    track_id INTEGER PRIMARY KEY REFERENCES music_tracks(id) ON DELETE CASCADE,
    mime     TEXT NOT NULL,
    data     BLOB NOT NULL
) STRICT;

CREATE VIRTUAL TABLE music_search USING fts5(title, artist, album, content = 'music_tracks', content_rowid = 'id',
                                             tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER music_tracks_ai AFTER INSERT ON music_tracks BEGIN
    INSERT INTO music_search (rowid, title, artist, album) VALUES (new.id, new.title, new.artist, new.album);
END;
CREATE TRIGGER music_tracks_ad AFTER DELETE ON music_tracks BEGIN
    INSERT INTO music_search (music_search, rowid, title, artist, album) VALUES ('delete', old.id, old.title, old.artist, old.album);
END;
CREATE TRIGGER music_tracks_au AFTER UPDATE ON music_tracks BEGIN
    INSERT INTO music_search (music_search, rowid, title, artist, album) VALUES ('delete', old.id, old.title, old.artist, old.album);
    INSERT INTO music_search (rowid, title, artist, album) VALUES (new.id, new.title, new.artist, new.album);
END;

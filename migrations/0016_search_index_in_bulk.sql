-- The search index is updated per inserted message, unless the writer is importing a batch: then it indexes the
-- batch's messages in one statement afterwards (four times faster). `spot_index_each()` is registered on every
-- connection spot opens; it is false only inside an import batch on the writer's thread.
DROP TRIGGER messages_fts_insert;
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN spot_index_each() BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;

-- Avatars: the hash of the user's current avatar image (files live under <data_dir>/avatars/<user id>/).
ALTER TABLE users ADD COLUMN avatar TEXT;

// What the Expressions pages (emoji, stickers, sounds) share: one request at a time with the server's refusal
// shown, who added what (the REST lists name the uploader; the gateway's do not), who may change an item (its
// uploader, or anyone with MANAGE_GUILD_EXPRESSIONS), and names made from file names.

import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/rest';
import type { Snowflake, User } from '../api/types';
import { Perm, can, state } from '../state/store';

export function useJob(): { busy: boolean; error: string; run: (job: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (job: () => Promise<unknown>) => {
    setBusy(true);
    setError('');
    try {
      await job();
      return true;
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Who added each item, by id, fetched again when the list changes (`key`). `note` adds one just made. */
export function useOwners<T>(
  load: () => Promise<T[]>,
  idOf: (item: T & { user?: User }) => Snowflake,
  key: string,
): [Map<Snowflake, User>, (id: Snowflake, user: User | undefined) => void] {
  const [owners, setOwners] = useState(new Map<Snowflake, User>());
  useEffect(() => {
    let live = true;
    load().then(
      (list) => {
        if (!live) return;
        const found = new Map<Snowflake, User>();
        for (const item of list as (T & { user?: User })[]) if (item.user) found.set(idOf(item), item.user);
        setOwners(found);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [key]);
  const note = (id: Snowflake, user: User | undefined) => {
    if (user) setOwners((old) => new Map(old).set(id, user));
  };
  return [owners, note];
}

/** An uploader may rename or delete what they added; MANAGE_GUILD_EXPRESSIONS may for everything. */
export function mayChange(owner: User | undefined): boolean {
  return can(Perm.ManageGuildExpressions) || (!!owner && owner.id === state.me?.id);
}

/** A file's name without its extension. */
export function baseName(filename: string): string {
  return filename.replace(/\.[^.]*$/, '');
}

/** An emoji name from a file name: lower case letters, digits and `_`, 2 to 32 of them. */
export function emojiNameFrom(filename: string): string {
  const name = baseName(filename)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  return name.length >= 2 ? name : name ? `${name}_` : 'emoji';
}

export const EMOJI_NAME = '[a-z0-9_]{2,32}';

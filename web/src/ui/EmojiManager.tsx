// Settings → Expressions → Emoji: add a custom emoji (an image and a name, made from the file's name until one
// is typed), and the space's emoji with who added them; their uploader (or MANAGE_GUILD_EXPRESSIONS) may rename
// or delete them.

import { useState } from 'preact/hooks';
import type { GuildEmoji } from '../api/types';
import { createEmoji, deleteEmoji, listEmojis, renameEmoji } from '../state/expressionApi';
import { emojiUrl } from '../state/expressions';
import { Perm, can, displayName, useStore } from '../state/store';
import { EMOJI_NAME, emojiNameFrom, mayChange, useJob, useOwners } from './expressionForm';
import { readAsDataUri } from './Settings';

function Row({ emoji, owner }: { emoji: GuildEmoji; owner: GuildEmoji['user'] }) {
  const [draft, setDraft] = useState<string | null>(null);
  const job = useJob();
  const label = `:${emoji.name}:`;
  return (
    <li class="expression-row">
      <img class="expression-image emoji-image" src={emojiUrl(emoji.id, emoji.animated)} alt="" width={32} height={32} />
      {draft === null ? (
        <span class="expression-name">{label}</span>
      ) : (
        <form
          class="rename-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await job.run(() => renameEmoji(emoji.id, draft))) setDraft(null);
          }}
        >
          <input
            value={draft}
            aria-label={`New name for ${label}`}
            pattern={EMOJI_NAME}
            maxLength={32}
            required
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit" class="small" disabled={job.busy}>
            Save
          </button>
          <button type="button" class="secondary small" onClick={() => setDraft(null)}>
            Cancel
          </button>
        </form>
      )}
      <span class="muted expression-owner">{owner ? displayName(owner.id, owner) : ''}</span>
      {draft === null && mayChange(owner) && (
        <span class="expression-actions">
          <button type="button" class="secondary small" aria-label={`Rename ${label}`} onClick={() => setDraft(emoji.name)}>
            Rename
          </button>
          <button
            type="button"
            class="danger small"
            aria-label={`Delete ${label}`}
            disabled={job.busy}
            onClick={() => void job.run(() => deleteEmoji(emoji.id))}
          >
            Delete
          </button>
        </span>
      )}
      {job.error && (
        <p class="form-error" role="alert">
          {job.error}
        </p>
      )}
    </li>
  );
}

export function EmojiManager() {
  const s = useStore();
  const emojis = [...s.emojis.values()];
  const [owners, note] = useOwners(listEmojis, (e) => e.id, emojis.map((e) => `${e.id}:${e.name}`).join());
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [done, setDone] = useState('');
  const job = useJob();
  const mayAdd = can(Perm.CreateGuildExpressions) || can(Perm.ManageGuildExpressions);
  return (
    <div class="expression-page">
      {mayAdd && (
        <form
          class="stack expression-upload"
          onSubmit={async (e) => {
            e.preventDefault();
            const form = e.currentTarget;
            if (!file) return;
            setDone('');
            let made: GuildEmoji | undefined;
            const ok = await job.run(async () => {
              made = await createEmoji(name, await readAsDataUri(file));
            });
            if (ok && made) {
              note(made.id, made.user ?? s.me ?? undefined);
              setDone(`Added :${made.name}:.`);
              setFile(null);
              setName('');
              form.reset();
            }
          }}
        >
          <label>
            Image
            <input
              type="file"
              accept="image/png,image/gif,image/jpeg,image/webp"
              aria-label="Emoji image"
              required
              onChange={(e) => {
                const chosen = e.currentTarget.files?.[0] ?? null;
                setFile(chosen);
                if (chosen) setName(emojiNameFrom(chosen.name));
              }}
            />
          </label>
          <label>
            Name
            <input
              value={name}
              aria-label="Emoji name"
              pattern={EMOJI_NAME}
              maxLength={32}
              required
              placeholder="party_parrot"
              onInput={(e) => setName(e.currentTarget.value.toLowerCase())}
            />
          </label>
          <div class="row-buttons">
            <button type="submit" disabled={job.busy || !file}>
              Upload emoji
            </button>
            <span class="muted" role="status">
              {job.busy ? 'Uploading…' : done}
            </span>
          </div>
          {job.error && (
            <p class="form-error" role="alert">
              {job.error}
            </p>
          )}
        </form>
      )}
      {emojis.length === 0 ? (
        <p class="muted">This space has no custom emoji yet.</p>
      ) : (
        <ul class="expression-list" aria-label="Custom emoji">
          {emojis.map((emoji) => (
            <Row key={emoji.id} emoji={emoji} owner={owners.get(emoji.id)} />
          ))}
        </ul>
      )}
    </div>
  );
}

// Settings → Expressions → Stickers: add a sticker (a PNG, APNG or GIF image, a name, a description and its
// related emoji), and the space's stickers with who added them; their uploader (or MANAGE_GUILD_EXPRESSIONS)
// may delete them.

import { useState } from 'preact/hooks';
import type { Sticker } from '../api/types';
import { createSticker, deleteSticker, listStickers } from '../state/expressionApi';
import { stickerUrl } from '../state/expressions';
import { Perm, can, displayName, useStore } from '../state/store';
import { baseName, mayChange, useJob, useOwners } from './expressionForm';

function Row({ sticker, owner }: { sticker: Sticker; owner: Sticker['user'] }) {
  const job = useJob();
  return (
    <li class="expression-row">
      <img class="expression-image sticker-image" src={stickerUrl(sticker)} alt="" width={64} height={64} loading="lazy" />
      <span class="expression-text">
        <span class="expression-name">{sticker.name}</span>
        <span class="muted">
          {sticker.tags}
          {sticker.description ? ` · ${sticker.description}` : ''}
        </span>
      </span>
      <span class="muted expression-owner">{owner ? displayName(owner.id, owner) : ''}</span>
      {mayChange(owner) && (
        <span class="expression-actions">
          <button
            type="button"
            class="danger small"
            aria-label={`Delete sticker ${sticker.name}`}
            disabled={job.busy}
            onClick={() => void job.run(() => deleteSticker(sticker.id))}
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

export function StickerManager() {
  const s = useStore();
  const stickers = [...s.stickers.values()];
  const [owners, note] = useOwners(listStickers, (x) => x.id, stickers.map((x) => x.id).join());
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
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
            let made: Sticker | undefined;
            const ok = await job.run(async () => {
              made = await createSticker(name.trim(), description.trim(), tags.trim(), file);
            });
            if (ok && made) {
              note(made.id, made.user ?? s.me ?? undefined);
              setDone(`Added ${made.name}.`);
              setFile(null);
              setName('');
              setDescription('');
              setTags('');
              form.reset();
            }
          }}
        >
          <label>
            Image
            <input
              type="file"
              accept="image/png,image/apng,image/gif"
              aria-label="Sticker image"
              required
              onChange={(e) => {
                const chosen = e.currentTarget.files?.[0] ?? null;
                setFile(chosen);
                if (chosen && !name) setName(baseName(chosen.name).slice(0, 30));
              }}
            />
          </label>
          <label>
            Name
            <input value={name} aria-label="Sticker name" minLength={2} maxLength={30} required onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Description
            <input value={description} aria-label="Sticker description" maxLength={100} onInput={(e) => setDescription(e.currentTarget.value)} />
          </label>
          <label>
            Related emoji
            <input value={tags} aria-label="Related emoji" placeholder="😀" maxLength={200} required onInput={(e) => setTags(e.currentTarget.value)} />
          </label>
          <div class="row-buttons">
            <button type="submit" disabled={job.busy || !file}>
              Upload sticker
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
      {stickers.length === 0 ? (
        <p class="muted">This space has no stickers yet.</p>
      ) : (
        <ul class="expression-list" aria-label="Stickers">
          {stickers.map((sticker) => (
            <Row key={sticker.id} sticker={sticker} owner={owners.get(sticker.id)} />
          ))}
        </ul>
      )}
    </div>
  );
}

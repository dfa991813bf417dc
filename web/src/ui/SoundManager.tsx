// Settings → Expressions → Sounds: add a soundboard sound (an MP3, Ogg or WAV file of at most 5.2 seconds and
// 512 KiB, a name, an emoji — a character, or `:name:` of one of the space's — and its volume), and the space's
// sounds with who added them: each can be previewed (only this user hears it); their uploader (or
// MANAGE_GUILD_EXPRESSIONS) may delete them.

import { useState } from 'preact/hooks';
import type { SoundboardSound } from '../api/types';
import { createSound, deleteSound, listSounds, type NewSound } from '../state/expressionApi';
import { emojiNamed, soundEmojiOf } from '../state/expressions';
import { Perm, can, displayName, useStore } from '../state/store';
import { Emoji } from './Emoji';
import { baseName, mayChange, useJob, useOwners } from './expressionForm';
import { Icon } from './Icon';
import { readAsDataUri } from './Settings';
import { preview } from './Soundboard';

const MAX_BYTES = 512 * 1024;
const MAX_SECONDS = 5.2;

/** The sound's length, when this browser can decode it. */
async function lengthOf(file: File): Promise<number | null> {
  try {
    const context = new OfflineAudioContext(1, 1, 44100);
    return (await context.decodeAudioData(await file.arrayBuffer())).duration;
  } catch {
    return null;
  }
}

/** The emoji field: `:name:` of a custom emoji, or the characters of a Unicode one. */
function emojiFields(text: string): Pick<NewSound, 'emoji_id' | 'emoji_name'> {
  const value = text.trim();
  const custom = /^:?(\w{2,32}):?$/.exec(value);
  const found = custom ? emojiNamed(custom[1]) : undefined;
  if (found) return { emoji_id: found.id };
  return value ? { emoji_name: value } : {};
}

function Row({ sound, owner }: { sound: SoundboardSound; owner: SoundboardSound['user'] }) {
  const job = useJob();
  const emoji = soundEmojiOf(sound);
  return (
    <li class="expression-row">
      <span class="expression-image sound-emoji" aria-hidden="true">
        {emoji ? <Emoji emoji={emoji} /> : '🔊'}
      </span>
      <span class="expression-name">{sound.name}</span>
      <span class="muted expression-owner">{owner ? displayName(owner.id, owner) : ''}</span>
      <span class="expression-actions">
        <button type="button" class="icon" aria-label={`Preview ${sound.name}`} title="Preview" onClick={() => preview(sound)}>
          <Icon name="play" size={18} />
        </button>
        {mayChange(owner) && (
          <button
            type="button"
            class="danger small"
            aria-label={`Delete sound ${sound.name}`}
            disabled={job.busy}
            onClick={() => void job.run(() => deleteSound(sound.sound_id))}
          >
            Delete
          </button>
        )}
      </span>
      {job.error && (
        <p class="form-error" role="alert">
          {job.error}
        </p>
      )}
    </li>
  );
}

export function SoundManager() {
  const s = useStore();
  const sounds = [...s.sounds.values()];
  const [owners, note] = useOwners(listSounds, (x) => x.sound_id, sounds.map((x) => x.sound_id).join());
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [emoji, setEmoji] = useState('');
  const [volume, setVolume] = useState(100);
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
            let made: SoundboardSound | undefined;
            const ok = await job.run(async () => {
              if (file.size > MAX_BYTES) throw new Error('A sound can be at most 512 KiB.');
              const length = await lengthOf(file);
              if (length !== null && length > MAX_SECONDS) throw new Error('A sound can be at most 5.2 seconds long.');
              const sound = await readAsDataUri(file);
              made = await createSound({ name: name.trim(), sound, volume: volume / 100, ...emojiFields(emoji) });
            });
            if (ok && made) {
              note(made.sound_id, made.user ?? s.me ?? undefined);
              setDone(`Added ${made.name}.`);
              setFile(null);
              setName('');
              setEmoji('');
              form.reset();
            }
          }}
        >
          <label>
            Sound
            <input
              type="file"
              accept="audio/mpeg,audio/ogg,audio/wav,audio/x-wav,.mp3,.ogg,.wav"
              aria-label="Sound file"
              required
              onChange={(e) => {
                const chosen = e.currentTarget.files?.[0] ?? null;
                setFile(chosen);
                if (chosen && !name) setName(baseName(chosen.name).slice(0, 32));
              }}
            />
          </label>
          <label>
            Name
            <input value={name} aria-label="Sound name" minLength={2} maxLength={32} required onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Emoji
            <input value={emoji} aria-label="Sound emoji" placeholder="🎺 or :name:" onInput={(e) => setEmoji(e.currentTarget.value)} />
          </label>
          <label>
            Volume {volume}%
            <input
              type="range"
              min={0}
              max={100}
              step={5}
              value={volume}
              aria-label="Sound volume"
              onInput={(e) => setVolume(Number(e.currentTarget.value))}
            />
          </label>
          <div class="row-buttons">
            <button type="submit" disabled={job.busy || !file}>
              Upload sound
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
      {sounds.length === 0 ? (
        <p class="muted">This space has no sounds yet.</p>
      ) : (
        <ul class="expression-list" aria-label="Sounds">
          {sounds.map((sound) => (
            <Row key={sound.sound_id} sound={sound} owner={owners.get(sound.sound_id)} />
          ))}
        </ul>
      )}
    </div>
  );
}

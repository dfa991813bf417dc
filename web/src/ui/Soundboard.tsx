// The soundboard of a voice room (for people with USE_SOUNDBOARD, while in the room): a button opening the
// space's sounds in a grid — each plays into the room for everyone (a refusal, such as the cooldown, shows for a
// moment), and a small button beside it previews the sound for this user alone. Below a header's button on wide
// screens, a sheet at the bottom on narrow ones (the phone's call bar).

import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Snowflake, SoundboardSound } from '../api/types';
import { playSound } from '../state/expressionApi';
import { soundEmojiOf, soundUrl } from '../state/expressions';
import { Perm, can, useStore } from '../state/store';
import { useDismiss } from './dismiss';
import { Emoji } from './Emoji';
import { Icon } from './Icon';

const NOTICE_MS = 3000;
let previewing: HTMLAudioElement | null = null;

/** Plays a sound for this user alone. */
export function preview(sound: SoundboardSound): void {
  previewing?.pause();
  previewing = new Audio(soundUrl(sound.sound_id));
  previewing.volume = Math.min(1, Math.max(0, sound.volume));
  void previewing.play().catch(() => undefined);
}

function Panel({ channelId, onClose, opener }: {
  channelId: Snowflake;
  onClose: () => void;
  opener: RefObject<HTMLElement | null>;
}) {
  const s = useStore();
  const root = useRef<HTMLDivElement>(null);
  const [notice, setNotice] = useState('');
  useDismiss(root, onClose, opener);
  useLayoutEffect(() => root.current?.querySelector<HTMLElement>('.sound-play, button')?.focus(), []);
  useEffect(() => {
    if (!notice) return undefined;
    const timer = window.setTimeout(() => setNotice(''), NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);
  const sounds = [...s.sounds.values()].filter((sound) => sound.available);
  return (
    <div
      ref={root}
      class={s.narrow ? 'soundboard sheet' : 'soundboard below'}
      role="dialog"
      aria-label="Soundboard"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="soundboard-head">
        <h3>Soundboard</h3>
        <button type="button" class="icon" aria-label="Close soundboard" onClick={onClose}>
          <Icon name="close" size={18} />
        </button>
      </div>
      {sounds.length === 0 ? (
        <p class="muted">This space has no sounds yet.</p>
      ) : (
        <ul class="sound-grid">
          {sounds.map((sound) => {
            const emoji = soundEmojiOf(sound);
            return (
              <li key={sound.sound_id} class="sound">
                <button
                  type="button"
                  class="sound-play"
                  aria-label={`Play sound ${sound.name}`}
                  onClick={async () => setNotice((await playSound(channelId, sound.sound_id)) ?? '')}
                >
                  <span class="sound-emoji" aria-hidden="true">
                    {emoji ? <Emoji emoji={emoji} /> : '🔊'}
                  </span>
                  <span class="sound-name">{sound.name}</span>
                </button>
                <button
                  type="button"
                  class="icon sound-preview"
                  aria-label={`Preview ${sound.name}`}
                  title="Preview: only you hear it"
                  onClick={() => preview(sound)}
                >
                  <Icon name="speaker" size={16} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p class="sound-notice" role="status">
        {notice}
      </p>
    </div>
  );
}

export function SoundboardButton({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  if (s.voice.channelId !== channelId || !can(Perm.UseSoundboard)) return null;
  return (
    <div class="soundboard-wrap">
      <button
        ref={button}
        type="button"
        class={open ? 'icon soundboard-button active' : 'icon soundboard-button'}
        aria-label="Soundboard"
        title="Soundboard"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <Icon name="soundboard" />
      </button>
      {open && <Panel channelId={channelId} opener={button} onClose={() => setOpen(false)} />}
    </div>
  );
}

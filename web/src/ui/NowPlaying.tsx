// The now-playing bar of a voice room: the DJ's track (its cover, or a music note), title and artist, a progress
// bar that moves on by itself between updates, and the controls (pause/resume, skip, stop, volume 0–200). The
// state comes from state/music.ts: fetched when the bar mounts, then kept fresh by SPOT_MUSIC_UPDATE. The server
// decides who may do what; its refusals are shown under the bar.

import { useEffect, useState } from 'preact/hooks';
import { fetchMusic, music, musicAction, positionMs, type MusicAction } from '../state/music';
import { useStore } from '../state/store';

/** How often the progress bar moves while playing. */
const TICK_MS = 500;

/** `m:ss`, or `h:mm:ss` from an hour. */
function clock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Small stroke/fill glyphs for the controls (decorative: the buttons carry the labels). */
const GLYPHS = {
  note: 'M9 18V5l11-2v13M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0M20 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0',
  play: 'M7 4v16l13-8z',
  pause: 'M7 4h4v16H7zM14 4h4v16h-4z',
  skip: 'M5 4v16l11-8zM18 4v16',
  stop: 'M6 6h12v12H6z',
} as const;

function Glyph({ name }: { name: keyof typeof GLYPHS }) {
  const filled = name !== 'note';
  return (
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      stroke-width={filled ? 1 : 2}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={GLYPHS[name]} />
    </svg>
  );
}

/** Only same-origin cover paths the server hands out are loaded. */
function coverSrc(url: string | null): string | null {
  return url && /^\/music\/covers\/(\d+|upload\/\d+\/\d+)$/.test(url) ? url : null;
}

export function NowPlaying({ channelId }: { channelId: string }) {
  useStore();
  const entry = music.get(channelId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The slider's value while it is being dragged (sent on release). */
  const [dragVolume, setDragVolume] = useState<number | null>(null);
  const [, setTick] = useState(0);

  useEffect(() => {
    setError(null);
    fetchMusic(channelId).catch((e: Error) => setError(e.message));
  }, [channelId]);

  const moving = !!entry?.state.playing && !entry.state.paused;
  useEffect(() => {
    if (!moving) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), TICK_MS);
    return () => clearInterval(timer);
  }, [moving]);

  const run = (body: MusicAction) => {
    setBusy(true);
    setError(null);
    musicAction(channelId, body)
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };

  const track = entry?.state.playing ?? null;
  if (!entry || !track) {
    return (
      <section class="now-playing idle" aria-label="Now playing">
        <span class="np-cover np-cover-empty">
          <Glyph name="note" />
        </span>
        <span class="np-idle-text">The DJ is not playing here. Type !play and a song in a text channel.</span>
        {error && (
          <p class="np-error" role="status">
            {error}
          </p>
        )}
      </section>
    );
  }

  const { paused, volume, queue_length: queued } = entry.state;
  const at = positionMs(entry);
  const length = track.duration_ms;
  const percent = length ? Math.min(100, (at / length) * 100) : 0;
  const cover = coverSrc(track.cover_url);
  const shownVolume = dragVolume ?? volume;

  return (
    <section class="now-playing" aria-label="Now playing">
      {cover ? (
        <img class="np-cover" src={cover} alt="" width={48} height={48} />
      ) : (
        <span class="np-cover np-cover-empty">
          <Glyph name="note" />
        </span>
      )}
      <div class="np-main">
        <div class="np-text">
          <span class="np-title" title={track.title}>
            {track.title}
          </span>
          <span class="np-artist">
            {track.artist ?? 'Unknown artist'}
            {queued > 0 && ` · ${queued} queued`}
          </span>
        </div>
        <div class="np-progress-row">
          <span class="np-time">{clock(at)}</span>
          {length === null ? (
            <span class="np-live">Live</span>
          ) : (
            <div
              class="np-progress"
              role="progressbar"
              aria-label="Position"
              aria-valuemin={0}
              aria-valuemax={Math.round(length / 1000)}
              aria-valuenow={Math.round(at / 1000)}
              aria-valuetext={`${clock(at)} of ${clock(length)}`}
            >
              <div class="np-progress-fill" style={{ width: `${percent}%` }} />
            </div>
          )}
          {length !== null && <span class="np-time">{clock(length)}</span>}
        </div>
      </div>
      <div class="np-controls">
        <button
          type="button"
          class="np-button"
          aria-label={paused ? 'Resume' : 'Pause'}
          title={paused ? 'Resume' : 'Pause'}
          disabled={busy}
          onClick={() => run({ action: paused ? 'resume' : 'pause' })}
        >
          <Glyph name={paused ? 'play' : 'pause'} />
        </button>
        <button
          type="button"
          class="np-button"
          aria-label="Skip"
          title="Skip"
          disabled={busy}
          onClick={() => run({ action: 'skip' })}
        >
          <Glyph name="skip" />
        </button>
        <button
          type="button"
          class="np-button"
          aria-label="Stop"
          title="Stop (clears the queue; DJ role)"
          disabled={busy}
          onClick={() => run({ action: 'stop' })}
        >
          <Glyph name="stop" />
        </button>
        <input
          class="np-volume"
          type="range"
          min={0}
          max={200}
          step={5}
          value={shownVolume}
          aria-label="DJ volume"
          aria-valuetext={`${shownVolume}%`}
          title={`Volume ${shownVolume}% (over 100: DJ role)`}
          onInput={(e) => setDragVolume(Number((e.target as HTMLInputElement).value))}
          onChange={(e) => {
            setDragVolume(null);
            run({ action: 'volume', volume: Number((e.target as HTMLInputElement).value) });
          }}
        />
      </div>
      {error && (
        <p class="np-error" role="status">
          {error}
        </p>
      )}
    </section>
  );
}

// A voice message's player (a message flagged 8192): play/pause, the recording's waveform as bars with the
// played part highlighted (a click or tap on it seeks; the arrow keys skip 5 s), the time played and the length,
// and the speed (1×, 1.5×, 2×). One plays at a time: starting one pauses any other.

import { useMemo, useRef, useState } from 'preact/hooks';
import type { Attachment } from '../api/types';
import { Icon } from './Icon';
import { clock } from './time';

const BARS = 40;
const SPEEDS = [1, 1.5, 2];
let current: HTMLAudioElement | null = null;

/** The waveform (base64 of 0-255 amplitudes) as up to `BARS` heights of 0..1, the loudest of each stretch. */
function shape(waveform: string | undefined): number[] {
  let bytes: number[] = [];
  try {
    bytes = Array.from(atob(waveform ?? ''), (c) => c.charCodeAt(0));
  } catch {
    // A damaged waveform: flat bars.
  }
  if (bytes.length === 0) return new Array<number>(BARS).fill(0.3);
  const n = Math.min(BARS, bytes.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * bytes.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * bytes.length) / n));
    out.push(Math.max(...bytes.slice(from, to)) / 255);
  }
  return out;
}

export function VoiceMessage({ a }: { a: Attachment }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [paused, setPaused] = useState(true);
  const [at, setAt] = useState(0);
  const [speed, setSpeed] = useState(0);
  const [loaded, setLoaded] = useState(0);
  const bars = useMemo(() => shape(a.waveform), [a.waveform]);
  const total = a.duration_secs || loaded;
  const played = total > 0 ? Math.min(1, at / total) : 0;

  const toggle = () => {
    const el = audio.current;
    if (!el) return;
    if (!el.paused) {
      el.pause();
      return;
    }
    if (current && current !== el) current.pause();
    current = el;
    void el.play().catch(() => setPaused(true));
  };
  const seek = (seconds: number) => {
    const el = audio.current;
    if (!el || !total) return;
    el.currentTime = Math.min(total, Math.max(0, seconds));
    setAt(el.currentTime);
  };
  return (
    <div class="voice-message" data-playing={paused ? 'false' : 'true'}>
      <button
        type="button"
        class="vm-play"
        aria-label={paused ? 'Play voice message' : 'Pause voice message'}
        onClick={toggle}
      >
        <Icon name={paused ? 'play' : 'pause'} size={18} />
      </button>
      <div
        class="vm-wave"
        role="slider"
        tabIndex={0}
        aria-label="Seek voice message"
        aria-valuemin={0}
        aria-valuemax={Math.round(total)}
        aria-valuenow={Math.round(at)}
        aria-valuetext={`${clock(at)} of ${clock(total)}`}
        onPointerDown={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          if (box.width > 0) seek(((e.clientX - box.left) / box.width) * total);
        }}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
          e.preventDefault();
          seek(at + (e.key === 'ArrowRight' ? 5 : -5));
        }}
      >
        {bars.map((height, i) => (
          <span
            key={i}
            class={(i + 0.5) / bars.length <= played ? 'vm-bar played' : 'vm-bar'}
            style={{ height: `${Math.max(12, Math.round(height * 100))}%` }}
          />
        ))}
      </div>
      <span class="vm-time">
        {clock(at)} / {clock(total)}
      </span>
      <button
        type="button"
        class="vm-speed"
        aria-label="Playback speed"
        title="Playback speed"
        onClick={() => {
          const next = (speed + 1) % SPEEDS.length;
          setSpeed(next);
          if (audio.current) {
            audio.current.defaultPlaybackRate = SPEEDS[next];
            audio.current.playbackRate = SPEEDS[next];
          }
        }}
      >
        {SPEEDS[speed]}×
      </button>
      <audio
        ref={audio}
        src={a.url}
        preload="metadata"
        onPlay={() => setPaused(false)}
        onPause={() => setPaused(true)}
        onEnded={() => {
          setPaused(true);
          setAt(0);
        }}
        onTimeUpdate={(e) => {
          if (!e.currentTarget.ended) setAt(e.currentTarget.currentTime);
        }}
        onLoadedMetadata={(e) => {
          if (Number.isFinite(e.currentTarget.duration)) setLoaded(e.currentTarget.duration);
        }}
      />
    </div>
  );
}

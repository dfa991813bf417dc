// The sound of an incoming call, made with Web Audio rather than a sound file: a soft two-note chime, repeated
// every 2.5 seconds until it is stopped. It plays on the shared AudioContext (`audio.ts`); a page the user has
// not clicked yet may keep it silent (the browser's autoplay rule), which the ringing notice makes up for.

import { audio } from './audio';

const PERIOD_MS = 2500;
/** Two notes, a sixth apart, each fading out. */
const NOTES: [frequency: number, delay: number][] = [
  [880, 0],
  [659.25, 0.22],
  [880, 0.9],
  [659.25, 1.12],
];

let timer: number | undefined;

function chime(ctx: AudioContext): void {
  const start = ctx.currentTime + 0.05;
  for (const [frequency, delay] of NOTES) {
    const at = start + delay;
    const oscillator = ctx.createOscillator();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.18, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.001, at + 0.7);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.75);
  }
}

/** Starts ringing (again calls do nothing while it rings). */
export function startRinging(): void {
  if (timer !== undefined) return;
  const ctx = audio();
  chime(ctx);
  timer = window.setInterval(() => chime(ctx), PERIOD_MS);
}

export function stopRinging(): void {
  window.clearInterval(timer);
  timer = undefined;
}

// Sound in and out of a call. Each received audio track plays through its own <audio> element (volume per
// person, muted when deafened, on the chosen speakers with `setSinkId`); every voice — received ones and this
// user's microphone — also feeds a Web Audio analyser that drives the speaking indicators.
//
// Playback stays on the media element rather than a Web Audio graph: Chrome applies a muted or quieted
// element's volume inside WebRTC's receive channel, so a muted element feeding Web Audio would play silence.

import type { Snowflake } from '../api/types';
import { prefs, volumeOf } from './prefs';

/** RMS level (0–1) above which someone counts as speaking (about −46 dBFS). */
const SPEAKING_RMS = 0.005;
/** How long the indicator stays lit after the level drops, so it does not flicker between words. */
const HOLD_MS = 350;
const POLL_MS = 80;

interface Voice {
  userId: Snowflake;
  element: HTMLAudioElement | null;
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
  lastLoud: number;
}

let context: AudioContext | null = null;
const remote = new Map<string, Voice>();
let local: Voice | null = null;
/** Whether this user's microphone is currently sent (not muted, push-to-talk held). */
let localLive = false;
let deafened = false;
let poller: number | undefined;
let onSpeaking: (speaking: Set<Snowflake>) => void = () => undefined;
let lastReported = '';

/** The shared AudioContext (analysers only); create it from a click (autoplay rules), which `join` does. */
export function audio(): AudioContext {
  if (!context) context = new AudioContext({ latencyHint: 'interactive' });
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
  return context;
}

type SinkElement = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/** Whether speakers can be chosen (`HTMLMediaElement.setSinkId`: Chrome, Edge, Firefox). */
export function canChooseOutput(): boolean {
  return 'setSinkId' in HTMLMediaElement.prototype;
}

function route(element: SinkElement): void {
  // '' is the default device: set it too, so choosing "Browser default" moves what is already playing.
  if (element.setSinkId) void element.setSinkId(prefs.output).catch(() => undefined);
}

/** Sends everything playing to the speakers chosen in settings. */
export function applyOutput(): void {
  for (const voice of remote.values()) if (voice.element) route(voice.element);
}

function analyserFor(ctx: AudioContext, source: MediaStreamAudioSourceNode): AnalyserNode {
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  return analyser;
}

function loudness(userId: Snowflake): number {
  return Math.max(0, Math.min(1, volumeOf(userId) / 100));
}

/** Starts playing a received audio track (`key`: its transceiver mid) from `userId`. */
export function playRemote(key: string, userId: Snowflake, track: MediaStreamTrack): void {
  stopRemote(key);
  const ctx = audio();
  const stream = new MediaStream([track]);
  const element: SinkElement = new Audio();
  element.autoplay = true;
  element.srcObject = stream;
  element.volume = loudness(userId);
  element.muted = deafened;
  route(element);
  void element.play().catch(() => undefined);
  const source = ctx.createMediaStreamSource(stream);
  remote.set(key, { userId, element, source, analyser: analyserFor(ctx, source), lastLoud: 0 });
  startPolling();
}

export function stopRemote(key: string): void {
  const voice = remote.get(key);
  if (!voice) return;
  voice.source.disconnect();
  if (voice.element) {
    voice.element.pause();
    voice.element.srcObject = null;
  }
  remote.delete(key);
}

/** Keys of the remote tracks playing now. */
export function remoteKeys(): string[] {
  return [...remote.keys()];
}

/** Watches this user's microphone for the speaking indicator (never played back). */
export function watchLocal(userId: Snowflake, stream: MediaStream | null): void {
  local?.source.disconnect();
  local = null;
  if (!stream || stream.getAudioTracks().length === 0) return;
  const ctx = audio();
  const source = ctx.createMediaStreamSource(stream);
  local = { userId, element: null, source, analyser: analyserFor(ctx, source), lastLoud: 0 };
  startPolling();
}

export function setLocalLive(live: boolean): void {
  localLive = live;
}

/** Applies the per-person volumes and the deafen switch to everything playing. */
export function applyVolumes(deaf: boolean): void {
  deafened = deaf;
  for (const voice of remote.values()) {
    if (!voice.element) continue;
    voice.element.volume = loudness(voice.userId);
    voice.element.muted = deaf;
  }
}

/** Called with the set of people speaking whenever it changes. */
export function onSpeakingChange(listener: (speaking: Set<Snowflake>) => void): void {
  onSpeaking = listener;
}

const samples = new Float32Array(1024);

function rms(analyser: AnalyserNode): number {
  analyser.getFloatTimeDomainData(samples);
  let sum = 0;
  for (const x of samples) sum += x * x;
  return Math.sqrt(sum / samples.length);
}

function startPolling(): void {
  if (poller !== undefined) return;
  poller = window.setInterval(() => {
    const now = performance.now();
    const speaking = new Set<Snowflake>();
    const consider = (voice: Voice, live: boolean) => {
      if (live && rms(voice.analyser) > SPEAKING_RMS) voice.lastLoud = now;
      if (now - voice.lastLoud < HOLD_MS) speaking.add(voice.userId);
    };
    for (const voice of remote.values()) consider(voice, true);
    if (local) consider(local, localLive);
    const key = [...speaking].sort().join(',');
    if (key !== lastReported) {
      lastReported = key;
      onSpeaking(speaking);
    }
  }, POLL_MS);
}

/** Stops everything (leaving the call). The AudioContext stays for the next call. */
export function stopAll(): void {
  for (const key of [...remote.keys()]) stopRemote(key);
  watchLocal('', null);
  window.clearInterval(poller);
  poller = undefined;
  if (lastReported !== '') {
    lastReported = '';
    onSpeaking(new Set());
  }
}

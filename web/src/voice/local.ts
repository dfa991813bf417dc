// This user's own media in a call: the microphone (chosen device, fallback to the default one, replaced when it
// is unplugged), mute, deafen and push-to-talk, the camera and the screen share, per-person volumes and the
// speakers. Being in a room — joining, the media connection, rejoining — is `controller.ts`; both work on the
// shared record in `call.ts`.

import type { Snowflake } from '../api/types';
import { changed, state, update } from '../state/store';
import { applyOutput, applyVolumes, setLocalLive, watchLocal } from './audio';
import { call, sendState, stopStream, v } from './call';
import { prefs, setPrefs } from './prefs';

type Shared = 'camera' | 'screen';

/** A camera or screen toggle is waiting for the browser. */
let toggling = false;

function mediaProblem(error: unknown, device: 'microphone' | Shared): string {
  const name = (error as { name?: string } | null)?.name ?? '';
  if (!navigator.mediaDevices) {
    return 'Voice needs a secure connection: open spot over HTTPS (or on localhost).';
  }
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    if (device === 'screen') return 'Screen sharing was cancelled or blocked.';
    return device === 'microphone'
      ? 'Microphone access is blocked. Allow it in your browser’s site settings and rejoin; you can listen meanwhile.'
      : 'Camera access is blocked. Allow it in your browser’s site settings to turn the camera on.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return device === 'microphone'
      ? 'No microphone was found. You can listen; connect one and choose it in Settings → Voice.'
      : `No ${device} was found.`;
  }
  if (name === 'NotReadableError') return `The ${device} is in use by another program or could not be started.`;
  return `The ${device} could not be started: ${(error as Error)?.message ?? String(error)}`;
}

function showProblem(text: string): void {
  update((s) => {
    s.voice.problem = text;
  });
}

/** Whether the microphone is sent right now. */
function live(): boolean {
  return !!call.microphone && !v().selfMute && !v().selfDeaf && (prefs.mode === 'voice' || v().talking);
}

/** Enables the microphone track exactly when it should be heard. */
export function applyMicrophone(): void {
  const on = live();
  for (const track of call.microphone?.getAudioTracks() ?? []) track.enabled = on;
  setLocalLive(on);
}

/** Asks for the chosen microphone (the default one if it is gone); null, with the reason shown, if refused. */
async function requestMicrophone(): Promise<MediaStream | null> {
  const constraints = (deviceId: string): MediaStreamConstraints => ({
    audio: {
      deviceId: deviceId ? { exact: deviceId } : undefined,
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    },
  });
  try {
    return await navigator.mediaDevices.getUserMedia(constraints(prefs.input));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (prefs.input && (name === 'OverconstrainedError' || name === 'NotFoundError')) {
      try {
        return await navigator.mediaDevices.getUserMedia(constraints(''));
      } catch (again) {
        error = again;
      }
    }
    showProblem(mediaProblem(error, 'microphone'));
    return null;
  }
}

/**
 * Opens the preferred microphone for the current call: null if refused, or if the call changed while the
 * browser was asking (then the stream is stopped). An unplugged microphone is replaced by the default one.
 */
async function openMicrophone(): Promise<MediaStream | null> {
  const generation = call.generation;
  const stream = await requestMicrophone();
  if (generation !== call.generation) {
    stopStream(stream);
    return null;
  }
  const track = stream?.getAudioTracks()[0];
  if (track) {
    track.onended = () => {
      if (call.microphone === stream && v().channelId) void reopenMicrophone();
    };
  }
  return stream;
}

/** Makes `stream` the microphone of the call (stopping the one it replaces) and sends it. */
function installMicrophone(stream: MediaStream): void {
  if (call.microphone !== stream) stopStream(call.microphone);
  call.microphone = stream;
  watchLocal(state.me?.id ?? '', stream);
  applyMicrophone();
  void call.connection?.setMicrophone(stream.getAudioTracks()[0] ?? null).catch(() => undefined);
}

/** For a join: opens the microphone unless one is open (joining muted, to listen, without one). */
export async function prepareMicrophone(): Promise<boolean> {
  if (!call.microphone) {
    const generation = call.generation;
    const opened = await openMicrophone();
    if (generation !== call.generation) return false;
    if (opened) installMicrophone(opened);
    else {
      update((s) => {
        s.voice.selfMute = true;
      });
    }
  }
  applyMicrophone();
  return true;
}

/** Opens the preferred microphone again and sends it instead of the old one; a failure keeps the old one. */
async function reopenMicrophone(): Promise<void> {
  const next = await openMicrophone();
  if (next) installMicrophone(next);
  else applyMicrophone();
}

/** Stops everything this user sends (the call ended). */
export function stopOwnMedia(): void {
  stopStream(call.microphone);
  stopStream(call.camera);
  stopStream(call.screen);
  call.microphone = call.camera = call.screen = null;
}

export function toggleMute(): void {
  update((s) => {
    s.voice.selfMute = !s.voice.selfMute;
    if (!s.voice.selfMute && s.voice.selfDeaf) s.voice.selfDeaf = false;
  });
  if (!v().selfMute && !call.microphone && v().channelId) {
    // Unmuting without a microphone (it was refused at join): ask again.
    const generation = call.generation;
    void openMicrophone().then((opened) => {
      if (generation !== call.generation) return;
      update((s) => {
        if (opened) s.voice.problem = null;
        else s.voice.selfMute = true;
      });
      if (opened) installMicrophone(opened);
      sendState();
    });
    return;
  }
  applyMicrophone();
  applyVolumes(v().selfDeaf);
  sendState();
}

export function toggleDeafen(): void {
  update((s) => {
    s.voice.selfDeaf = !s.voice.selfDeaf;
  });
  applyMicrophone();
  applyVolumes(v().selfDeaf);
  sendState();
}

const LOCAL = { camera: 'localCamera', screen: 'localScreen' } as const;

/** Puts a camera or screen stream on the call's connection (the screen with its audio, if any). */
async function sendShared(kind: Shared, stream: MediaStream): Promise<void> {
  const link = call.connection;
  if (!link) throw new Error('The call ended.');
  if (kind === 'camera') {
    await link.setSource('camera', stream.getVideoTracks()[0]);
  } else {
    await link.setSource('screen', stream.getVideoTracks()[0]);
    await link.setSource('screen_audio', stream.getAudioTracks()[0] ?? null);
  }
}

/** After a reconnect: sends the camera and screen again if they are on and still allowed. */
export function resendShared(grants: { video: boolean }): void {
  if (!grants.video) return;
  for (const kind of ['camera', 'screen'] as const) {
    const stream = call[kind];
    if (stream) void sendShared(kind, stream).catch(() => undefined);
  }
}

async function startSharing(kind: Shared, acquire: () => Promise<MediaStream>): Promise<void> {
  const generation = call.generation;
  let stream: MediaStream;
  try {
    stream = await acquire();
  } catch (error) {
    showProblem(mediaProblem(error, kind));
    return;
  }
  if (kind === 'screen') {
    const video = stream.getVideoTracks()[0];
    video.contentHint = 'detail';
    // The browser's own "Stop sharing" button.
    video.onended = () => {
      if (call.screen === stream) void stopSharing('screen');
    };
  }
  try {
    if (generation !== call.generation) throw new Error('The call ended.');
    await sendShared(kind, stream);
  } catch (error) {
    stopStream(stream);
    if (generation === call.generation) showProblem((error as Error).message);
    return;
  }
  call[kind] = stream;
  update((s) => {
    s.voice[kind] = true;
    s.voice[LOCAL[kind]] = stream;
  });
  sendState();
}

async function stopSharing(kind: Shared): Promise<void> {
  stopStream(call[kind]);
  call[kind] = null;
  update((s) => {
    s.voice[kind] = false;
    s.voice[LOCAL[kind]] = null;
  });
  sendState();
  const sources = kind === 'camera' ? (['camera'] as const) : (['screen', 'screen_audio'] as const);
  for (const source of sources) await call.connection?.setSource(source, null).catch(() => undefined);
}

/** One camera/screen toggle at a time; a second click while the browser is still asking is ignored. */
async function toggleShared(kind: Shared, acquire: () => Promise<MediaStream>): Promise<void> {
  if (toggling || !call.connection) return;
  toggling = true;
  try {
    await (v()[kind] ? stopSharing(kind) : startSharing(kind, acquire));
  } finally {
    toggling = false;
  }
}

export function toggleCamera(): Promise<void> {
  return toggleShared('camera', () =>
    navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
    }),
  );
}

/** Screen share, with the tab's or system audio where the browser offers it. */
export function toggleScreen(): Promise<void> {
  return toggleShared('screen', () =>
    navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: true }),
  );
}

/** Sets how loud one person plays for this user (0–100 %). */
export function setVolume(userId: Snowflake, percent: number): void {
  setPrefs({ volumes: { ...prefs.volumes, [userId]: Math.max(0, Math.min(100, Math.round(percent))) } });
  applyVolumes(v().selfDeaf);
  changed();
}

/** Chooses the microphone ('' = the browser's default); in a call the new one replaces the old at once. */
export async function setInput(deviceId: string): Promise<void> {
  setPrefs({ input: deviceId });
  changed();
  if (v().channelId) await reopenMicrophone();
}

export function setOutput(deviceId: string): void {
  setPrefs({ output: deviceId });
  applyOutput();
  changed();
}

export function setMode(mode: 'voice' | 'ptt', key?: string): void {
  setPrefs(key ? { mode, pttKey: key } : { mode });
  applyMicrophone();
  changed();
}

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.isContentEditable);
}

function pushToTalk(down: boolean): void {
  if (v().talking === down) return;
  update((s) => {
    s.voice.talking = down;
  });
  applyMicrophone();
}

// Push-to-talk: the key transmits while held, except while typing in a text field (so the key can be typed).
window.addEventListener('keydown', (e) => {
  if (prefs.mode !== 'ptt' || e.code !== prefs.pttKey || !v().channelId || e.repeat) return;
  if (typingInField(e.target)) return;
  e.preventDefault();
  pushToTalk(true);
});
window.addEventListener('keyup', (e) => {
  if (e.code === prefs.pttKey) pushToTalk(false);
});
window.addEventListener('blur', () => pushToTalk(false));

// This tab's voice call: joining and leaving over the gateway (opcode 4, VOICE_STATE_UPDATE,
// VOICE_SERVER_UPDATE), the media connection for the embedded SFU, the microphone, camera and screen, mute,
// deafen and push-to-talk, and getting back in by itself after a network blip or a server restart.
//
// The rules it keeps:
// - `state.voice.channelId` is the room the user wants to be in; null only after they leave (or were taken out).
// - A join or rejoin always waits for VOICE_SERVER_UPDATE; the server ignores refused joins, so a timer turns
//   silence into a clear message.
// - A dropped media connection rejoins (opcode 4 leave + join, for a fresh token) with backoff; being taken out
//   on purpose (a moderator, another tab) does not.

import type { Snowflake, VoiceServerUpdate, VoiceState } from '../api/types';
import type { Gateway } from '../gateway/client';
import { changed, state, update } from '../state/store';
import {
  applyOutput,
  applyVolumes,
  audio,
  onSpeakingChange,
  playRemote,
  setLocalLive,
  stopAll,
  stopRemote,
  watchLocal,
} from './audio';
import { MediaConnection, type MediaEvents, type MediaLink, type RemoteTrack } from './connection';
import { LivekitLink } from './livekit';
import { prefs, setPrefs } from './prefs';

/** How long a join may wait for VOICE_SERVER_UPDATE before it counts as refused. */
const JOIN_TIMEOUT_MS = 8000;
/** Rejoin attempts after a drop before giving up. */
const MAX_ATTEMPTS = 10;

let gateway: Gateway | null = null;
let connection: MediaLink | null = null;
let microphone: MediaStream | null = null;
let camera: MediaStream | null = null;
let screen: MediaStream | null = null;
/** A join was sent and VOICE_SERVER_UPDATE has not come yet. */
let awaitingServer = false;
let joinTimer: number | undefined;
let rejoinTimer: number | undefined;
let goneTimer: number | undefined;
let attempts = 0;
/** Bumped when a call starts or ends: an await that returns into another call drops what it got. */
let generation = 0;
/** The gateway session this tab joined with (a re-IDENTIFY changes the current one). */
let joinedSession: string | null = null;
/** The media backend of the current call (VOICE_SERVER_UPDATE says). */
let backend: 'embedded' | 'livekit' = 'embedded';
/** A camera or screen toggle is waiting for the browser. */
let toggling = false;
/** The user left while the gateway was down: the leave goes out when it is back. */
let pendingLeave = false;
/** What each receiving mid plays now, so repeated reports do not restart it. */
const receiving = new Map<string, { userId: Snowflake; track: MediaStreamTrack }>();

const v = () => state.voice;

export function bindGateway(g: Gateway): void {
  gateway = g;
}

onSpeakingChange((speaking) =>
  update((s) => {
    s.voice.speaking = speaking;
  }),
);

/** Sends opcode 4. Without an argument it sends the current room's flags, and nothing when not in a call (a
 *  late flag change must not send a leave that would take another tab's call away). */
function sendState(channelId: Snowflake | null | undefined = undefined): boolean {
  if (!gateway || !state.guild) return false;
  if (channelId === undefined) {
    if (!v().channelId) return false;
    channelId = v().channelId;
  }
  return gateway.updateVoiceState({
    guild_id: state.guild.id,
    channel_id: channelId,
    self_mute: v().selfMute || v().selfDeaf,
    self_deaf: v().selfDeaf,
    self_video: v().camera,
    self_stream: v().screen,
  });
}

function myState(): VoiceState | undefined {
  return state.me ? state.voiceStates.get(state.me.id) : undefined;
}

/** Whether the room's voice state for this user belongs to this tab's gateway session. */
function mine(vs: VoiceState | undefined): boolean {
  return !!vs && vs.session_id === gateway?.session();
}

/** Whether the microphone is sent right now. */
function live(): boolean {
  return !!microphone && !v().selfMute && !v().selfDeaf && (prefs.mode === 'voice' || v().talking);
}

function applyMicrophone(): void {
  const on = live();
  for (const track of microphone?.getAudioTracks() ?? []) track.enabled = on;
  setLocalLive(on);
}

function mediaProblem(error: unknown, device: 'microphone' | 'camera' | 'screen'): string {
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

/** Opens the chosen microphone; if it is unplugged during a call, the call switches to the default one. */
async function openMicrophone(): Promise<MediaStream | null> {
  const stream = await requestMicrophone();
  const track = stream?.getAudioTracks()[0];
  if (track) {
    track.onended = () => {
      if (microphone === stream && v().channelId) void reopenMicrophone();
    };
  }
  return stream;
}

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
      // The chosen microphone is gone: fall back to the default one.
      try {
        return await navigator.mediaDevices.getUserMedia(constraints(''));
      } catch (again) {
        error = again;
      }
    }
    update((s) => {
      s.voice.problem = mediaProblem(error, 'microphone');
    });
    return null;
  }
}

function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

function clearReceived(): void {
  for (const key of receiving.keys()) stopRemote(key);
  receiving.clear();
  v().video.clear();
  v().speaking = new Set();
}

/** Joins a voice room (or shows it, when already in it). Call it from a click: it unlocks audio playback. */
export async function join(channelId: Snowflake): Promise<void> {
  audio();
  update((s) => {
    s.stage = channelId;
    s.drawer = null;
  });
  if (v().channelId === channelId && v().status !== 'idle') return;
  connection?.close();
  connection = null;
  clearReceived();
  attempts = 0;
  generation += 1;
  pendingLeave = false;
  const call = generation;
  window.clearTimeout(rejoinTimer);
  window.clearTimeout(goneTimer);
  update((s) => {
    s.voice.channelId = channelId;
    s.voice.status = 'joining';
    s.voice.problem = null;
    s.voice.selfMute = false;
    s.voice.talking = false;
  });
  if (!microphone) {
    const opened = await openMicrophone();
    if (call !== generation) {
      stopStream(opened); // left, or went elsewhere, while the permission prompt was up
      return;
    }
    microphone = opened;
    watchLocal(state.me?.id ?? '', microphone);
    if (!microphone) {
      update((s) => {
        s.voice.selfMute = true;
      });
    }
  }
  applyMicrophone();
  requestJoin(false);
}

/** Sends the join (after a leave when `fresh`, so the server hands out a new token) and waits for the answer. */
function requestJoin(fresh: boolean): void {
  const channelId = v().channelId;
  if (!channelId) return;
  awaitingServer = true;
  window.clearTimeout(joinTimer);
  // Already in the room on this session (or rejoining): leave first, or the server sees only a flag change.
  const leaveFirst = fresh || mine(myState());
  const sent = (!leaveFirst || sendState(null)) && sendState(channelId);
  if (sent) joinedSession = gateway?.session() ?? null;
  joinTimer = window.setTimeout(() => {
    if (!awaitingServer) return;
    if (!sent || v().status === 'reconnecting') {
      reconnect();
      return;
    }
    endCall('The server did not let you join this room: you may lack permission, or the room is full.');
  }, JOIN_TIMEOUT_MS);
}

/** Leaves the room. */
export function leave(): void {
  pendingLeave = !sendState(null);
  endCall(null);
}

/** Sends a leave that could not go out when the user clicked (with LiveKit nothing else would tell spot). */
function flushLeave(): void {
  if (pendingLeave && !v().channelId && sendState(null)) pendingLeave = false;
}

/** Ends the call on this tab (left, or taken out), with an optional reason to show. */
function endCall(problem: string | null): void {
  generation += 1;
  joinedSession = null;
  awaitingServer = false;
  window.clearTimeout(joinTimer);
  window.clearTimeout(rejoinTimer);
  window.clearTimeout(goneTimer);
  connection?.close();
  connection = null;
  clearReceived();
  stopAll();
  stopStream(microphone);
  stopStream(camera);
  stopStream(screen);
  microphone = camera = screen = null;
  update((s) => {
    s.voice.channelId = null;
    s.voice.status = 'idle';
    s.voice.camera = false;
    s.voice.screen = false;
    s.voice.localCamera = null;
    s.voice.localScreen = null;
    s.voice.problem = problem;
  });
}

/** Gets back into the room after the media connection dropped: backoff, then leave + join for a new token. */
function reconnect(): void {
  connection?.close();
  connection = null;
  clearReceived();
  if (!v().channelId) return;
  attempts += 1;
  if (attempts > MAX_ATTEMPTS) {
    sendState(null);
    endCall('Voice could not reconnect. Check your connection and join the room again.');
    return;
  }
  update((s) => {
    s.voice.status = 'reconnecting';
  });
  window.clearTimeout(rejoinTimer);
  rejoinTimer = window.setTimeout(tryRejoin, Math.min(5000, 300 * 2 ** (attempts - 1)));
}

function tryRejoin(): void {
  if (!v().channelId) return;
  if (state.status === 'failed') {
    endCall('Disconnected from the server.');
    return;
  }
  if (state.status !== 'ready') {
    // The gateway is down too (a server restart): wait for it; GUILD_CREATE also calls us.
    rejoinTimer = window.setTimeout(tryRejoin, 1000);
    return;
  }
  requestJoin(true);
}

const events = (self: () => MediaLink | null): MediaEvents => ({
  ready(grants: { audio: boolean; video: boolean }) {
    if (self() !== connection) return;
    update((s) => {
      s.voice.grants = grants;
    });
    // After a reconnect: send the camera and screen again if they were on.
    const camTrack = camera?.getVideoTracks()[0];
    if (camTrack && grants.video) void connection?.setSource('camera', camTrack).catch(() => undefined);
    const screenTrack = screen?.getVideoTracks()[0];
    if (screenTrack && grants.video) {
      void connection
        ?.setSource('screen', screenTrack)
        .then(() => connection?.setSource('screen_audio', screen?.getAudioTracks()[0] ?? null))
        .catch(() => undefined);
    }
  },
  reconnecting() {
    if (self() !== connection) return;
    update((s) => {
      s.voice.status = 'reconnecting';
    });
  },
  connected() {
    if (self() !== connection) return;
    attempts = 0;
    update((s) => {
      s.voice.status = 'connected';
    });
  },
  track(info: RemoteTrack, track: MediaStreamTrack) {
    if (self() !== connection) return;
    const before = receiving.get(info.mid);
    if (before?.track === track && before.userId === info.user_id) return;
    receiving.set(info.mid, { userId: info.user_id, track });
    if (info.kind === 'audio') {
      playRemote(info.mid, info.user_id, track);
    } else {
      v().video.set(info.mid, {
        userId: info.user_id,
        source: info.source === 'screen' ? 'screen' : 'camera',
        stream: new MediaStream([track]),
      });
      changed();
    }
  },
  ended(mids: string[]) {
    if (self() !== connection) return;
    for (const mid of mids) {
      receiving.delete(mid);
      stopRemote(mid);
      v().video.delete(mid);
    }
    changed();
  },
  removed(reason: string) {
    if (self() !== connection) return;
    if (reason === 'left' || reason === 'moved') return; // we asked; or a new VOICE_SERVER_UPDATE follows
    if (reason === 'disconnected') endCall('You were disconnected from the voice room.');
    else if (reason === 'replaced') endCall('You joined voice from another tab or device.');
    else reconnect();
  },
  refused(code: string, message: string) {
    if (self() !== connection) return;
    console.error(`voice refused: ${code}: ${message}`);
    reconnect();
  },
  lost() {
    if (self() !== connection) return;
    reconnect();
  },
});

/** VOICE_SERVER_UPDATE: this session's token for the room it joined; connect the media. */
export function onVoiceServer(d: VoiceServerUpdate): void {
  if (!v().channelId) return;
  // A late answer for a room the user already clicked away from: the join for the new one is on its way.
  if (awaitingServer && d.channel_id !== v().channelId) return;
  awaitingServer = false;
  backend = d.backend === 'livekit' ? 'livekit' : 'embedded';
  joinedSession = gateway?.session() ?? joinedSession;
  window.clearTimeout(joinTimer);
  window.clearTimeout(goneTimer);
  window.clearTimeout(rejoinTimer);
  connection?.close();
  clearReceived();
  update((s) => {
    if (s.stage === s.voice.channelId) s.stage = d.channel_id;
    s.voice.channelId = d.channel_id;
    s.voice.status = v().status === 'reconnecting' ? 'reconnecting' : 'connecting';
  });
  const mic = microphone?.getAudioTracks()[0] ?? null;
  let created: MediaLink | null = null;
  const listener = events(() => created);
  created =
    d.backend === 'livekit'
      ? new LivekitLink(d.endpoint, d.token, mic, listener)
      : new MediaConnection(d.endpoint, d.token, mic, listener);
  connection = created;
}

/** VOICE_STATE_UPDATE: who is where; and notices when this tab was taken out or moved. */
export function onVoiceState(d: VoiceState): void {
  if (d.channel_id) state.voiceStates.set(d.user_id, d);
  else state.voiceStates.delete(d.user_id);
  if (d.user_id !== state.me?.id || !v().channelId) return;
  if (d.channel_id && d.session_id !== gateway?.session() && d.session_id !== joinedSession) {
    // The same user joined from another tab or device: the room is theirs now.
    endCall('You joined voice from another tab or device.');
    return;
  }
  if (d.channel_id) {
    if (d.channel_id !== v().channelId && !awaitingServer) {
      // Moved by a moderator (VOICE_SERVER_UPDATE for the new room follows); the view follows too.
      if (state.stage === v().channelId) state.stage = d.channel_id;
      v().channelId = d.channel_id;
    }
    return;
  }
  if (awaitingServer) return; // our own leave-before-rejoin
  if (backend === 'livekit') {
    // With LiveKit a media drop never changes the voice state: being out of the room means being taken out.
    endCall('You were disconnected from the voice room.');
    return;
  }
  // Out of the room without asking: a move (the new state follows), a moderator (the media socket says so), or
  // a dropped connection. Give the other messages a moment to arrive, then rejoin if nothing explained it.
  window.clearTimeout(goneTimer);
  goneTimer = window.setTimeout(() => {
    if (!v().channelId || awaitingServer || mine(myState())) return;
    if (v().status !== 'reconnecting') reconnect();
  }, 1500);
}

/** GUILD_CREATE: everyone's voice states; after a fresh IDENTIFY (a server restart) our own is gone: rejoin. */
export function onGuildVoiceStates(states: VoiceState[]): void {
  state.voiceStates.clear();
  for (const vs of states) if (vs.channel_id) state.voiceStates.set(vs.user_id, vs);
  if (!v().channelId) {
    // After a fresh IDENTIFY the old session's state ends with that session; only a resumed one needs it.
    if (pendingLeave && mine(myState())) flushLeave();
    pendingLeave = false;
    return;
  }
  const now = myState();
  if (now && !mine(now) && now.session_id !== joinedSession) {
    // Meanwhile this user went on in voice elsewhere (this tab slept): do not take the call back.
    endCall('You joined voice from another tab or device.');
    return;
  }
  if (awaitingServer) {
    // The join may have gone out on the connection that died: ask again on this one.
    requestJoin(true);
    return;
  }
  if (!mine(now)) {
    window.clearTimeout(rejoinTimer);
    if (v().status !== 'reconnecting') reconnect();
    else tryRejoin();
  }
}

/** RESUMED: a join sent just before the connection dropped may have been lost; ask again. */
export function onGatewayResumed(): void {
  flushLeave();
  if (v().channelId && awaitingServer) requestJoin(true);
}

export function toggleMute(): void {
  update((s) => {
    s.voice.selfMute = !s.voice.selfMute;
    if (!s.voice.selfMute && s.voice.selfDeaf) s.voice.selfDeaf = false;
  });
  if (!v().selfMute && !microphone && v().channelId) {
    void retryMicrophone();
    return;
  }
  applyMicrophone();
  applyVolumes(v().selfDeaf);
  sendState();
}

async function retryMicrophone(): Promise<void> {
  const call = generation;
  const opened = await openMicrophone();
  if (call !== generation) {
    stopStream(opened);
    return;
  }
  microphone = opened;
  watchLocal(state.me?.id ?? '', microphone);
  update((s) => {
    if (microphone) s.voice.problem = null;
    else s.voice.selfMute = true;
  });
  if (microphone) await connection?.setMicrophone(microphone.getAudioTracks()[0] ?? null).catch(() => undefined);
  applyMicrophone();
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

/** Runs one camera/screen toggle at a time; a second click while the browser is still asking is ignored. */
async function oneToggle(action: () => Promise<void>): Promise<void> {
  if (toggling || !connection) return;
  toggling = true;
  try {
    await action();
  } finally {
    toggling = false;
  }
}

export function toggleCamera(): Promise<void> {
  return oneToggle(async () => {
    if (v().camera) {
      stopStream(camera);
      camera = null;
      update((s) => {
        s.voice.camera = false;
        s.voice.localCamera = null;
      });
      sendState();
      await connection?.setSource('camera', null).catch(() => undefined);
      return;
    }
    const call = generation;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
      });
    } catch (error) {
      update((s) => {
        s.voice.problem = mediaProblem(error, 'camera');
      });
      return;
    }
    try {
      if (call !== generation || !connection) throw new Error('The call ended.');
      await connection.setSource('camera', stream.getVideoTracks()[0]);
    } catch (error) {
      stopStream(stream);
      if (call === generation) {
        update((s) => {
          s.voice.problem = (error as Error).message;
        });
      }
      return;
    }
    camera = stream;
    update((s) => {
      s.voice.camera = true;
      s.voice.localCamera = camera;
    });
    sendState();
  });
}

export function toggleScreen(): Promise<void> {
  return oneToggle(async () => {
    if (v().screen) {
      await stopScreen();
      return;
    }
    const call = generation;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: true });
    } catch (error) {
      update((s) => {
        s.voice.problem = mediaProblem(error, 'screen');
      });
      return;
    }
    const video = stream.getVideoTracks()[0];
    video.contentHint = 'detail';
    video.onended = () => {
      if (screen === stream) void stopScreen();
    };
    try {
      if (call !== generation || !connection) throw new Error('The call ended.');
      await connection.setSource('screen', video);
      await connection.setSource('screen_audio', stream.getAudioTracks()[0] ?? null);
    } catch (error) {
      stopStream(stream);
      if (call === generation) {
        update((s) => {
          s.voice.problem = (error as Error).message;
        });
      }
      return;
    }
    screen = stream;
    update((s) => {
      s.voice.screen = true;
      s.voice.localScreen = screen;
    });
    sendState();
  });
}

async function stopScreen(): Promise<void> {
  stopStream(screen);
  screen = null;
  update((s) => {
    s.voice.screen = false;
    s.voice.localScreen = null;
  });
  sendState();
  await connection?.setSource('screen', null).catch(() => undefined);
  await connection?.setSource('screen_audio', null).catch(() => undefined);
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

/** Opens the preferred microphone again (the default one if it is gone) and sends it instead of the old one. */
async function reopenMicrophone(): Promise<void> {
  const call = generation;
  const next = await openMicrophone();
  if (call !== generation) {
    stopStream(next);
    return;
  }
  if (!next) {
    // The new one failed: keep what is sending now, and keep the UI and the track in step.
    applyMicrophone();
    return;
  }
  stopStream(microphone);
  microphone = next;
  watchLocal(state.me?.id ?? '', microphone);
  applyMicrophone();
  await connection?.setMicrophone(microphone.getAudioTracks()[0] ?? null).catch(() => undefined);
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

/** The peer connection of the current call (diagnostics). */
export function peerConnection(): RTCPeerConnection | null {
  return connection?.peer() ?? null;
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

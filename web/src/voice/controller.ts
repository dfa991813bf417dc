// This tab's place in a voice room: joining and leaving over the gateway (opcode 4, VOICE_STATE_UPDATE,
// VOICE_SERVER_UPDATE), the media connection (embedded SFU or LiveKit) and what it receives, and getting back in
// by itself after a network blip or a server restart. This user's own microphone, camera, screen, mute and
// push-to-talk are `local.ts`; the state both share is `call.ts`. The media connections (`connection.ts`,
// `livekit.ts`) load on demand: a join starts loading them, long before VOICE_SERVER_UPDATE needs one.
//
// The rules it keeps:
// - `state.voice.channelId` is the room the user wants to be in; null only after they leave (or were taken out).
// - A join or rejoin always waits for VOICE_SERVER_UPDATE; the server ignores refused joins, so a timer turns
//   silence into a clear message.
// - A dropped media connection rejoins (opcode 4 leave + join, for a fresh token) with backoff; being taken out
//   on purpose (a moderator, another tab) does not.

import type { Snowflake, VoiceServerUpdate, VoiceState } from '../api/types';
import type { Gateway } from '../gateway/client';
import { isPrivate } from '../state/private';
import { changed, state, update } from '../state/store';
import { audio, onSpeakingChange, playRemote, stopAll, stopRemote } from './audio';
import { call, sendState, v } from './call';
import type { MediaEvents, MediaLink, RemoteTrack } from './connection';
import { prepareMicrophone, resendShared, stopOwnMedia } from './local';

/** How long a join may wait for VOICE_SERVER_UPDATE before it counts as refused. */
const JOIN_TIMEOUT_MS = 8000;
/** Rejoin attempts after a drop before giving up. */
const MAX_ATTEMPTS = 10;

/** A join was sent and VOICE_SERVER_UPDATE has not come yet. */
let awaitingServer = false;
let joinTimer: number | undefined;
let rejoinTimer: number | undefined;
let goneTimer: number | undefined;
let attempts = 0;
/** The gateway session this tab joined with (a re-IDENTIFY changes the current one). */
let joinedSession: string | null = null;
type Backend = 'embedded' | 'livekit';
/** The media backend of the current call (VOICE_SERVER_UPDATE says). */
let backend: Backend = 'embedded';
/** The user left while the gateway was down: the leave goes out when it is back. */
let pendingLeave = false;
/** What each receiving mid plays now, so repeated reports do not restart it. */
const receiving = new Map<string, { userId: Snowflake; track: MediaStreamTrack }>();
/** Bumped whenever the media connection is dropped or replaced: a connection whose code was still loading
 *  then is not made. */
let connecting = 0;

type LinkClass = new (endpoint: string, token: string, mic: MediaStreamTrack | null, events: MediaEvents) => MediaLink;
/** The media connection classes loaded so far (each is a chunk of its own, loaded on demand). */
const links: Partial<Record<Backend, LinkClass>> = {};

function loadLink(kind: Backend): Promise<LinkClass> {
  const load: Promise<LinkClass> =
    kind === 'livekit' ? import('./livekit').then((m) => m.LivekitLink) : import('./connection').then((m) => m.MediaConnection);
  return load.then((Link) => (links[kind] = Link));
}

export function bindGateway(g: Gateway): void {
  call.gateway = g;
}

onSpeakingChange((speaking) =>
  update((s) => {
    s.voice.speaking = speaking;
  }),
);

function myState(): VoiceState | undefined {
  return state.me ? state.voiceStates.get(state.me.id) : undefined;
}

/** Whether the room's voice state for this user belongs to this tab's gateway session. */
function mine(vs: VoiceState | undefined): boolean {
  return !!vs && vs.session_id === call.gateway?.session();
}

function clearReceived(): void {
  for (const key of receiving.keys()) stopRemote(key);
  receiving.clear();
  v().video.clear();
  v().speaking = new Set();
}

/** Joins a voice room (or shows it, when already in it), or the call of a DM or group DM (shown above its
 *  messages, so the stage stays as it is). Call it from a click: it unlocks audio playback. */
export async function join(channelId: Snowflake): Promise<void> {
  audio();
  update((s) => {
    if (!isPrivate(channelId)) s.stage = channelId;
    s.drawer = null;
  });
  if (v().channelId === channelId && v().status !== 'idle') return;
  for (const kind of ['embedded', 'livekit'] as const) if (!links[kind]) loadLink(kind).catch(() => undefined);
  connecting += 1;
  call.connection?.close();
  call.connection = null;
  clearReceived();
  attempts = 0;
  call.generation += 1;
  pendingLeave = false;
  window.clearTimeout(rejoinTimer);
  window.clearTimeout(goneTimer);
  update((s) => {
    s.voice.channelId = channelId;
    s.voice.status = 'joining';
    s.voice.problem = null;
    s.voice.selfMute = false;
    s.voice.talking = false;
  });
  // False when the user left, or went elsewhere, while the permission prompt was up.
  if (await prepareMicrophone()) requestJoin(false);
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
  if (sent) joinedSession = call.gateway?.session() ?? null;
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
  call.generation += 1;
  joinedSession = null;
  awaitingServer = false;
  window.clearTimeout(joinTimer);
  window.clearTimeout(rejoinTimer);
  window.clearTimeout(goneTimer);
  connecting += 1;
  call.connection?.close();
  call.connection = null;
  clearReceived();
  stopAll();
  stopOwnMedia();
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
  connecting += 1;
  call.connection?.close();
  call.connection = null;
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
    if (self() !== call.connection) return;
    update((s) => {
      s.voice.grants = grants;
    });
    // After a reconnect: send the camera and screen again if they were on.
    resendShared(grants);
  },
  reconnecting() {
    if (self() !== call.connection) return;
    update((s) => {
      s.voice.status = 'reconnecting';
    });
  },
  connected() {
    if (self() !== call.connection) return;
    attempts = 0;
    update((s) => {
      s.voice.status = 'connected';
    });
  },
  track(info: RemoteTrack, track: MediaStreamTrack) {
    if (self() !== call.connection) return;
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
    if (self() !== call.connection) return;
    for (const mid of mids) {
      receiving.delete(mid);
      stopRemote(mid);
      v().video.delete(mid);
    }
    changed();
  },
  removed(reason: string) {
    if (self() !== call.connection) return;
    if (reason === 'left' || reason === 'moved') return; // we asked; or a new VOICE_SERVER_UPDATE follows
    if (reason === 'disconnected') endCall('You were disconnected from the voice room.');
    else if (reason === 'replaced') endCall('You joined voice from another tab or device.');
    else reconnect();
  },
  refused(code: string, message: string) {
    if (self() !== call.connection) return;
    console.error(`voice refused: ${code}: ${message}`);
    reconnect();
  },
  lost() {
    if (self() !== call.connection) return;
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
  joinedSession = call.gateway?.session() ?? joinedSession;
  window.clearTimeout(joinTimer);
  window.clearTimeout(goneTimer);
  window.clearTimeout(rejoinTimer);
  const serial = ++connecting;
  call.connection?.close();
  call.connection = null;
  clearReceived();
  update((s) => {
    if (s.stage === s.voice.channelId) s.stage = d.channel_id;
    s.voice.channelId = d.channel_id;
    s.voice.status = v().status === 'reconnecting' ? 'reconnecting' : 'connecting';
  });
  const connect = (Link: LinkClass) => {
    if (serial !== connecting) return;
    const mic = call.microphone?.getAudioTracks()[0] ?? null;
    let created: MediaLink | null = null;
    const listener = events(() => created);
    created = new Link(d.endpoint, d.token, mic, listener);
    call.connection = created;
  };
  const kind: Backend = d.backend === 'livekit' ? 'livekit' : 'embedded';
  const Link = links[kind];
  // Loaded since the join, as a rule; otherwise (or if the load fails: rejoin, which tries again) a moment on.
  if (Link) connect(Link);
  else loadLink(kind).then(connect, () => serial === connecting && reconnect());
}

/** VOICE_STATE_UPDATE: who is where; and notices when this tab was taken out or moved. */
export function onVoiceState(d: VoiceState): void {
  if (d.channel_id) state.voiceStates.set(d.user_id, d);
  else state.voiceStates.delete(d.user_id);
  if (d.user_id !== state.me?.id || !v().channelId) return;
  if (d.channel_id && d.session_id !== call.gateway?.session() && d.session_id !== joinedSession) {
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

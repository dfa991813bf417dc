// The client's state: what the gateway told us (space, channels, threads, members, roles, presences, read
// states) and what we fetched (message histories). One mutable object with a change counter; components
// subscribe with `useStore` and re-render on change. Messages are replaced (never mutated) when they change, so
// memoised rows re-render only for messages that did.

import { useEffect, useState } from 'preact/hooks';
import type { GatewayStatus } from '../gateway/client';
import type {
  Call,
  Channel,
  GuildEmoji,
  Member,
  Message,
  PrivateChannel,
  ReactionEmoji,
  Role,
  Snowflake,
  SoundboardSound,
  Sticker,
  User,
  UserGuildSettings,
  VoiceState,
} from '../api/types';

export interface History {
  /** Oldest first. */
  messages: Message[];
  hasMoreBefore: boolean;
  /** True after jumping into the past: newer messages exist that are not loaded. */
  hasMoreAfter: boolean;
  loading: boolean;
  /** The message to scroll to and highlight once (a jump from search, pins or a reply). */
  focus: Snowflake | null;
  /** Newest message the user had read when they opened the channel: where the "new messages" divider goes. */
  dividerAfter: Snowflake | null;
}

export interface ReadState {
  lastRead: Snowflake | null;
  mentions: number;
}

export interface Upload {
  channelId: Snowflake;
  names: string;
  progress: number;
  abort: () => void;
}

export type Panel = 'members' | 'pins' | 'threads' | 'search' | null;

/** The dialogs of direct messages: a new group (people picked, some maybe chosen already), adding people to a
 *  group, a group's settings, and the confirmation before leaving one. */
export type DmDialog =
  | { kind: 'new-group'; with: Snowflake[] }
  | { kind: 'add-people'; channelId: Snowflake }
  | { kind: 'group-settings'; channelId: Snowflake }
  | { kind: 'leave-group'; channelId: Snowflake };

/** A line only this user sees in a conversation (as Discord's "Only you can see this" messages). */
export interface Notice {
  id: number;
  text: string;
}

/** A line floating in a voice room for a moment: someone played a sound (VOICE_CHANNEL_EFFECT_SEND). */
export interface VoiceEffect {
  id: number;
  channelId: Snowflake;
  emoji: ReactionEmoji | null;
  /** "alice played airhorn". */
  text: string;
}

/** This tab's voice call (src/voice/ drives it; the UI reads it). */
export interface VoiceUi {
  /** The room this tab is in or joining; null when not in voice. */
  channelId: Snowflake | null;
  /** `joining`: asked the gateway; `connecting`: media negotiating; `reconnecting`: after a drop. */
  status: 'idle' | 'joining' | 'connecting' | 'connected' | 'reconnecting';
  selfMute: boolean;
  selfDeaf: boolean;
  camera: boolean;
  screen: boolean;
  /** Push-to-talk key held (only meaningful in push-to-talk mode). */
  talking: boolean;
  /** What the server lets this user send in the room (SPEAK, STREAM). */
  grants: { audio: boolean; video: boolean };
  /** Users whose audio is currently above the speaking threshold (this user included). */
  speaking: Set<Snowflake>;
  /** Received video, by user: camera and screen tracks. */
  video: Map<string, { userId: Snowflake; source: 'camera' | 'screen'; stream: MediaStream }>;
  /** This user's own camera and screen, for the self view. */
  localCamera: MediaStream | null;
  localScreen: MediaStream | null;
  /** A problem to show in the voice panel (mic denied, connection lost…). */
  problem: string | null;
  layout: 'grid' | 'spotlight';
  /** The tile in the spotlight (a key from `video`, or a user id). */
  spotlight: string | null;
}
export interface State {
  status: GatewayStatus;
  statusDetail: string;
  me: User | null;
  guild: { id: Snowflake; name: string; ownerId: Snowflake } | null;
  channels: Map<Snowflake, Channel>;
  /** Open DMs and group DMs (READY, CHANNEL_CREATE…), by id; their histories live in `histories` too. */
  privateChannels: Map<Snowflake, PrivateChannel>;
  /** People known from outside the member list (DM recipients, blocked users), for names and avatars. */
  users: Map<Snowflake, User>;
  /** Users this user blocked. */
  blocked: Set<Snowflake>;
  /** People in the space may not start DMs with this user (`default_guilds_restricted`). */
  dmsRestricted: boolean;
  /** Calls ringing or running in this user's DMs, by DM id. */
  calls: Map<Snowflake, Call>;
  /** Local lines in a conversation's history (a DM that was refused), by channel. */
  notices: Map<Snowflake, Notice[]>;
  members: Map<Snowflake, Member>;
  roles: Map<Snowflake, Role>;
  /** The space's custom emoji, stickers and soundboard sounds, by id (in the server's order). */
  emojis: Map<Snowflake, GuildEmoji>;
  stickers: Map<Snowflake, Sticker>;
  sounds: Map<Snowflake, SoundboardSound>;
  /** Sounds just played in the voice room this tab is in, shown for a moment. */
  effects: VoiceEffect[];
  presences: Map<Snowflake, string>;
  readStates: Map<Snowflake, ReadState>;
  histories: Map<Snowflake, History>;
  /** channel → user → when their typing indicator expires (ms). */
  typing: Map<Snowflake, Map<Snowflake, number>>;
  activeChannel: Snowflake | null;
  openThread: Snowflake | null;
  panel: Panel;
  searchQuery: string;
  /** The DM or group the search runs in, or null: the whole space. */
  searchIn: Snowflake | null;
  replyTo: Message | null;
  editing: Snowflake | null;
  uploads: Upload[];
  error: string | null;
  drawer: 'channels' | 'members' | null;
  modal: 'settings' | 'switcher' | 'invite' | null;
  /** Bumped on pin changes so the pins panel refetches. */
  pinsVersion: number;
  /** The current user's space-level permission bits. */
  permissions: bigint;
  /** A phone-width screen: side lists are drawers. */
  narrow: boolean;
  /** Bumped when names, avatars, roles or custom emoji change, so memoised message rows re-render. */
  peopleVersion: number;
  /** An open confirmation: delete a message, or name a new thread. */
  dialog: { kind: 'delete' | 'thread'; message: Message } | null;
  dmDialog: DmDialog | null;
  /** The open profile card: whose (and who they are, when known only from a message), and the box of what
   *  opened it (viewport coordinates), to sit beside. */
  profile: { userId: Snowflake; user?: User; left: number; right: number; top: number } | null;
  /** Everyone's voice state, by user (only users in a room are kept). */
  voiceStates: Map<Snowflake, VoiceState>;
  /** The voice room shown in the main area instead of a text channel, or null. */
  stage: Snowflake | null;
  voice: VoiceUi;
  /** Notification settings (Discord's user guild settings): the space's under its id, the DMs' under '@me'. */
  notifySettings: Map<string, UserGuildSettings>;
  /** The status this user chose (online, idle, dnd, invisible); `state/presence.ts` keeps it. */
  myStatus: string;
  /** The browser reports no network (`navigator.onLine`). */
  offline: boolean;
  /** What shows was restored from the last session's saved view, not (yet) from the server. */
  fromCache: boolean;
}

export const state: State = {
  status: 'connecting',
  statusDetail: '',
  me: null,
  guild: null,
  channels: new Map(),
  privateChannels: new Map(),
  users: new Map(),
  blocked: new Set(),
  dmsRestricted: false,
  calls: new Map(),
  notices: new Map(),
  members: new Map(),
  roles: new Map(),
  emojis: new Map(),
  stickers: new Map(),
  sounds: new Map(),
  effects: [],
  presences: new Map(),
  readStates: new Map(),
  histories: new Map(),
  typing: new Map(),
  activeChannel: null,
  openThread: null,
  panel: defaultPanel(),
  searchQuery: '',
  searchIn: null,
  replyTo: null,
  editing: null,
  uploads: [],
  error: null,
  drawer: null,
  modal: null,
  pinsVersion: 0,
  permissions: 0n,
  narrow: narrowQuery().matches,
  peopleVersion: 0,
  dialog: null,
  dmDialog: null,
  profile: null,
  voiceStates: new Map(),
  stage: null,
  voice: {
    channelId: null,
    status: 'idle',
    selfMute: false,
    selfDeaf: false,
    camera: false,
    screen: false,
    talking: false,
    grants: { audio: false, video: false },
    speaking: new Set(),
    video: new Map(),
    localCamera: null,
    localScreen: null,
    problem: null,
    layout: 'grid',
    spotlight: null,
  },
  notifySettings: new Map(),
  myStatus: 'online',
  offline: !navigator.onLine,
  fromCache: false,
};

function narrowQuery(): MediaQueryList {
  return window.matchMedia('(max-width: 1000px)');
}

/** The member list on wide screens, nothing on narrow ones: what a closed panel falls back to. */
export function defaultPanel(): Panel {
  return narrowQuery().matches ? null : 'members';
}

narrowQuery().addEventListener('change', (e) =>
  update((s) => {
    s.narrow = e.matches;
    s.drawer = null;
    if (!e.matches && s.panel === null) s.panel = 'members';
  }),
);

let version = 0;
const listeners = new Set<() => void>();
let scheduled = false;

/** Marks the state changed; subscribers re-render once per animation frame at most. */
export function changed(): void {
  version += 1;
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    for (const listener of listeners) listener();
  });
}

/** Applies `fn` to the state and notifies. */
export function update(fn: (s: State) => void): void {
  fn(state);
  changed();
}

/** Re-renders the calling component whenever the state changes. */
export function useStore(): State {
  const [, setSeen] = useState(version);
  useEffect(() => {
    const listener = () => setSeen(version);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return state;
}

export function history(channelId: Snowflake): History {
  let found = state.histories.get(channelId);
  if (!found) {
    found = {
      messages: [],
      hasMoreBefore: true,
      hasMoreAfter: false,
      loading: false,
      focus: null,
      dividerAfter: null,
    };
    state.histories.set(channelId, found);
  }
  return found;
}

/** Snowflakes compare by numeric value; as strings, longer is larger. */
export function idCompare(a: Snowflake, b: Snowflake): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function displayName(userId: Snowflake, fallback?: User): string {
  const member = state.members.get(userId);
  const user = member?.user ?? fallback ?? state.users.get(userId);
  return member?.nick || user?.global_name || user?.username || 'Unknown user';
}

/** Whatever the client knows of a user: a member, someone from a DM or a block, or this user. */
export function userById(userId: Snowflake): User | undefined {
  return (
    state.members.get(userId)?.user ?? state.users.get(userId) ?? (state.me?.id === userId ? state.me : undefined)
  );
}

/** The colour of a member's highest coloured role, as a CSS hex string, or null. */
export function roleColor(userId: Snowflake): string | null {
  const member = state.members.get(userId);
  if (!member) return null;
  let best: Role | null = null;
  for (const id of member.roles) {
    const role = state.roles.get(id);
    if (role && role.color && (!best || role.position > best.position)) best = role;
  }
  return best ? `#${best.color.toString(16).padStart(6, '0')}` : null;
}

export function isUnread(channel: { id: Snowflake; last_message_id?: Snowflake | null }): boolean {
  const read = state.readStates.get(channel.id);
  if (!channel.last_message_id) return false;
  if (!read?.lastRead) return true;
  return idCompare(channel.last_message_id, read.lastRead) > 0;
}

/** Permission bits the client checks to decide which actions to offer (the server enforces them anyway). */
export const Perm = {
  Administrator: 1n << 3n,
  ManageMessages: 1n << 13n,
  Stream: 1n << 9n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  MuteMembers: 1n << 22n,
  DeafenMembers: 1n << 23n,
  MoveMembers: 1n << 24n,
  CreatePublicThreads: 1n << 35n,
  ManageGuildExpressions: 1n << 30n,
  UseSoundboard: 1n << 42n,
  CreateGuildExpressions: 1n << 43n,
  SendVoiceMessages: 1n << 46n,
} as const;

/** Whether the current user has a permission at the space level, as the server computed it
 *  (`GET /users/@me/guilds`; channel overwrites are left to the server, which refuses with a clear error). */
export function can(bit: bigint): boolean {
  return (state.permissions & Perm.Administrator) !== 0n || (state.permissions & bit) !== 0n;
}

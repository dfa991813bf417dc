// Applies gateway dispatches to the state. Pure bookkeeping: no network calls except the history refresh after
// a fresh IDENTIFY (events during the gap were not replayed), fetching a DM a message arrived in unannounced, and
// desktop notifications for mentions and direct messages. DMs' own dispatches are `dmEvents.ts`.

import {
  ChannelType,
  MessageFlag,
  type Channel,
  type Guild,
  type GuildCreate,
  type Member,
  type Message,
  type Presence,
  type PrivateChannel,
  type ReactionEvent,
  type Ready,
  type Role,
  type Snowflake,
  type TypingStart,
  type User,
  type UserGuildSettings,
  type UserGuildSettingsList,
} from '../api/types';
import { catchUp, refreshPermissions } from './actions';
import { onGatewayResumed, onGuildVoiceStates, onVoiceServer, onVoiceState } from '../voice/controller';
import { onMusicUpdate } from './music';
import { notifyMessage } from './notify';
import { onReadySettings, putSettings } from './notifySettings';
import {
  dropPrivate,
  fetchUnknownPrivate,
  isPrivateDispatch,
  onPrivateChannel,
  onReadyPrivate,
  privateHandlers,
  resolvePendingPrivate,
} from './dmEvents';
import { interactionHandlers } from './interactions';
import { expressionHandlers, putGuildExpressions, sameEmoji } from './expressions';
import { isBlocked, isPrivate, notePrivateMessage, updatePrivateUser } from './private';
import { changed, idCompare, state } from './store';

type Handler = (data: never) => void;

function replaceMessage(channelId: Snowflake, id: Snowflake, fn: (m: Message) => Message | null): void {
  const h = state.histories.get(channelId);
  if (!h) return;
  const index = h.messages.findIndex((m) => m.id === id);
  if (index < 0) return;
  const next = fn(h.messages[index]);
  h.messages = next
    ? h.messages.map((m, i) => (i === index ? next : m))
    : h.messages.filter((_, i) => i !== index);
}

/** Replies quote the message they answer (`referenced_message`): an edit or a deletion of it reaches the
 *  quotes too, so a reply never shows words that are gone. */
function updateQuotes(channelId: Snowflake, id: Snowflake, fn: (quoted: Message) => Message | null): void {
  const h = state.histories.get(channelId);
  if (!h || !h.messages.some((m) => m.referenced_message?.id === id)) return;
  h.messages = h.messages.map((m) =>
    m.referenced_message?.id === id ? { ...m, referenced_message: fn(m.referenced_message) } : m,
  );
}

/** A new message in a thread: its count goes up (as the server's does), and the message the thread was started
 *  from is replaced so its thread chip shows the new count. */
function countInThread(thread: Channel): void {
  const count = (thread.message_count ?? 0) + 1;
  state.channels.set(thread.id, { ...state.channels.get(thread.id)!, message_count: count });
  if (!thread.parent_id) return;
  replaceStarter(thread.parent_id, thread.id, count);
}

function replaceStarter(parentId: Snowflake, threadId: Snowflake, count: number): void {
  const h = state.histories.get(parentId);
  const starter = h?.messages.find((m) => m.thread?.id === threadId);
  if (!starter?.thread) return;
  replaceMessage(parentId, starter.id, (m) => ({ ...m, thread: { ...m.thread!, message_count: count } }));
}

/** Whether a message counts as a mention: it names this user, or it is in a DM (every DM message does). */
function mentionsMe(message: Message): boolean {
  const me = state.me;
  if (!me || message.author.id === me.id) return false;
  if (isPrivate(message.channel_id)) return !isBlocked(message.author.id);
  if (message.mention_everyone || message.mentions.some((u) => u.id === me.id)) return true;
  const mine = state.members.get(me.id)?.roles ?? [];
  return message.mention_roles.some((r) => mine.includes(r));
}

function upsertUser(user: User): void {
  const member = state.members.get(user.id);
  if (member) state.members.set(user.id, { ...member, user: { ...member.user, ...user } });
}

const handlers: Record<string, Handler> = {
  READY(d: Ready) {
    state.me = d.user;
    onReadyPrivate(d);
    // wire.ts says `number` for the levels; types.ts names the four Discord has.
    onReadySettings(d.user_guild_settings as UserGuildSettingsList | undefined);
    state.readStates.clear();
    for (const entry of d.read_state?.entries ?? []) {
      state.readStates.set(entry.id, { lastRead: entry.last_message_id, mentions: entry.mention_count });
    }
  },
  GUILD_CREATE(d: GuildCreate) {
    state.guild = { id: d.id, name: d.name, ownerId: d.owner_id };
    state.channels.clear();
    for (const c of [...d.channels, ...d.threads]) state.channels.set(c.id, c);
    state.members.clear();
    for (const m of d.members) state.members.set(m.user.id, m);
    resolvePendingPrivate();
    state.roles.clear();
    for (const r of d.roles) state.roles.set(r.id, r);
    state.presences.clear();
    for (const p of d.presences) state.presences.set(p.user.id, p.status);
    putGuildExpressions(d);
    refreshPermissions();
    catchUp();
    onGuildVoiceStates(d.voice_states ?? []);
  },
  GUILD_UPDATE(d: Guild) {
    if (state.guild?.id === d.id) state.guild = { id: d.id, name: d.name, ownerId: d.owner_id };
    putGuildExpressions(d);
  },
  VOICE_STATE_UPDATE: onVoiceState,
  VOICE_SERVER_UPDATE: onVoiceServer,
  RESUMED() {
    onGatewayResumed();
  },
  MESSAGE_CREATE(d: Message) {
    // An application's answer only this user sees (never stored) shows in the history and changes nothing else.
    if ((d.flags & MessageFlag.Ephemeral) !== 0) {
      const open = state.histories.get(d.channel_id);
      if (open && !open.hasMoreAfter && !open.messages.some((m) => m.id === d.id)) open.messages = insertSorted(open.messages, d);
      return;
    }
    const channel = state.channels.get(d.channel_id);
    if (channel) {
      state.channels.set(channel.id, { ...channel, last_message_id: d.id });
      if (channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread) countInThread(channel);
    } else if (isPrivate(d.channel_id)) notePrivateMessage(d);
    else fetchUnknownPrivate(d);
    const h = state.histories.get(d.channel_id);
    if (h && !h.hasMoreAfter && !h.messages.some((m) => m.id === d.id)) {
      const last = h.messages[h.messages.length - 1];
      h.messages = !last || idCompare(last.id, d.id) < 0 ? [...h.messages, d] : insertSorted(h.messages, d);
    }
    const mine = d.author.id === state.me?.id;
    const viewing =
      (d.channel_id === state.activeChannel || d.channel_id === state.openThread) && !document.hidden && !state.stage;
    if (mine) {
      state.readStates.set(d.channel_id, { lastRead: d.id, mentions: 0 });
    } else if (mentionsMe(d) && !viewing) {
      const read = state.readStates.get(d.channel_id) ?? { lastRead: null, mentions: 0 };
      state.readStates.set(d.channel_id, { ...read, mentions: read.mentions + 1 });
    }
    if (!mine && document.hidden && !isBlocked(d.author.id)) notifyMessage(d);
    const typers = state.typing.get(d.channel_id);
    typers?.delete(d.author.id);
  },
  MESSAGE_UPDATE(d: Partial<Message> & { id: Snowflake; channel_id: Snowflake }) {
    replaceMessage(d.channel_id, d.id, (m) => ({ ...m, ...d }));
    updateQuotes(d.channel_id, d.id, (quoted) => ({ ...quoted, ...d }));
    state.pinsVersion += 1;
  },
  MESSAGE_DELETE(d: { id: Snowflake; channel_id: Snowflake }) {
    replaceMessage(d.channel_id, d.id, () => null);
    updateQuotes(d.channel_id, d.id, () => null);
  },
  MESSAGE_DELETE_BULK(d: { ids: Snowflake[]; channel_id: Snowflake }) {
    const h = state.histories.get(d.channel_id);
    if (h) h.messages = h.messages.filter((m) => !d.ids.includes(m.id));
  },
  MESSAGE_REACTION_ADD(d: ReactionEvent) {
    const me = d.user_id === state.me?.id;
    replaceMessage(d.channel_id, d.message_id, (m) => {
      const reactions = [...(m.reactions ?? [])];
      const i = reactions.findIndex((r) => sameEmoji(r.emoji, d.emoji));
      if (i >= 0) {
        if (me && reactions[i].me) return m;
        reactions[i] = { ...reactions[i], count: reactions[i].count + 1, me: reactions[i].me || me };
      } else reactions.push({ count: 1, count_details: { burst: 0, normal: 1 }, me, me_burst: false, burst_colors: [], emoji: d.emoji });
      return { ...m, reactions };
    });
  },
  MESSAGE_REACTION_REMOVE(d: ReactionEvent) {
    const me = d.user_id === state.me?.id;
    replaceMessage(d.channel_id, d.message_id, (m) => {
      const reactions = (m.reactions ?? [])
        .map((r) => (sameEmoji(r.emoji, d.emoji) ? { ...r, count: r.count - 1, me: me ? false : r.me } : r))
        .filter((r) => r.count > 0);
      return { ...m, reactions };
    });
  },
  MESSAGE_REACTION_REMOVE_ALL(d: ReactionEvent) {
    replaceMessage(d.channel_id, d.message_id, (m) => ({ ...m, reactions: [] }));
  },
  MESSAGE_REACTION_REMOVE_EMOJI(d: ReactionEvent) {
    replaceMessage(d.channel_id, d.message_id, (m) => ({
      ...m,
      reactions: (m.reactions ?? []).filter((r) => !sameEmoji(r.emoji, d.emoji)),
    }));
  },
  MESSAGE_ACK(d: { channel_id: Snowflake; message_id: Snowflake }) {
    state.readStates.set(d.channel_id, { lastRead: d.message_id, mentions: 0 });
  },
  CHANNEL_PINS_UPDATE() {
    state.pinsVersion += 1;
  },
  TYPING_START(d: TypingStart) {
    if (d.user_id === state.me?.id) return;
    let typers = state.typing.get(d.channel_id);
    if (!typers) state.typing.set(d.channel_id, (typers = new Map()));
    typers.set(d.user_id, Date.now() + 10_000);
    window.setTimeout(changed, 10_100);
  },
  PRESENCE_UPDATE(d: Presence) {
    state.presences.set(d.user.id, d.status);
  },
  CHANNEL_CREATE: putAnyChannel,
  CHANNEL_UPDATE: putAnyChannel,
  THREAD_CREATE: putChannel,
  THREAD_UPDATE: putChannel,
  CHANNEL_DELETE(d: Channel | PrivateChannel) {
    if (isPrivateDispatch(d)) dropPrivate(d.id);
    else dropChannel(d);
  },
  THREAD_DELETE: dropChannel,
  THREAD_LIST_SYNC(d: { threads: Channel[] }) {
    for (const t of d.threads) state.channels.set(t.id, t);
  },
  GUILD_MEMBER_ADD: putMember,
  GUILD_MEMBER_UPDATE: putMember,
  GUILD_MEMBER_REMOVE(d: { user: User }) {
    state.members.delete(d.user.id);
    state.voiceStates.delete(d.user.id);
    state.peopleVersion += 1;
  },
  GUILD_ROLE_CREATE: putRole,
  GUILD_ROLE_UPDATE: putRole,
  GUILD_ROLE_DELETE(d: { role_id: Snowflake }) {
    state.roles.delete(d.role_id);
    state.peopleVersion += 1;
  },
  SPOT_MUSIC_UPDATE: onMusicUpdate,
  USER_GUILD_SETTINGS_UPDATE(d: UserGuildSettings) {
    putSettings(d);
  },
  USER_UPDATE(d: User) {
    if (d.id === state.me?.id) state.me = { ...state.me, ...d };
    upsertUser(d);
    updatePrivateUser(d);
    state.peopleVersion += 1;
  },
  ...privateHandlers,
  ...interactionHandlers,
  ...expressionHandlers,
};

/** CHANNEL_CREATE / CHANNEL_UPDATE: a DM or group (no guild) or one of the space's channels. */
function putAnyChannel(d: Channel | PrivateChannel): void {
  if (isPrivateDispatch(d)) onPrivateChannel(d as PrivateChannel);
  else putChannel(d as Channel);
}

function insertSorted(messages: Message[], message: Message): Message[] {
  const index = messages.findIndex((m) => idCompare(m.id, message.id) > 0);
  return index < 0 ? [...messages, message] : [...messages.slice(0, index), message, ...messages.slice(index)];
}

function putChannel(d: Channel): void {
  const old = state.channels.get(d.id);
  state.channels.set(d.id, { ...old, ...d });
}

function dropChannel(d: { id: Snowflake }): void {
  state.channels.delete(d.id);
  state.histories.delete(d.id);
  if (state.openThread === d.id) state.openThread = null;
}

function putMember(d: Member): void {
  if (d.user.id === state.me?.id) refreshPermissions();
  const old = state.members.get(d.user.id);
  state.members.set(d.user.id, { ...old, ...d, user: { ...old?.user, ...d.user } });
  state.peopleVersion += 1;
}

function putRole(d: { role: Role }): void {
  state.roles.set(d.role.id, d.role);
  state.peopleVersion += 1;
  refreshPermissions();
}

/** Applies one dispatch. Unknown types are ignored, as Discord clients do. */
export function applyDispatch(type: string, data: unknown): void {
  const handler = handlers[type] as ((d: unknown) => void) | undefined;
  if (!handler) return;
  handler(data);
  changed();
}

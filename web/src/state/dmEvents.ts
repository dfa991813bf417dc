// The gateway's dispatches about direct messages, applied to the state (`events.ts` hands them here): READY's
// DMs, blocks and DM setting; DMs and groups appearing, changing and going (CHANNEL_* without a guild); people
// joining and leaving groups; blocks; the DM setting; calls ringing and ending. A DM's messages, reactions and
// typing go through the same handlers as a channel's.

import { api } from '../api/rest';
import {
  PrivateType,
  RelationshipType,
  type Call,
  type CallDelete,
  type ChannelRecipient,
  type DedupedPrivateChannel,
  type Message,
  type PrivateChannel,
  type Ready,
  type Relationship,
  type RelationshipRemove,
  type Snowflake,
  type User,
  type UserSettings,
} from '../api/types';
import { leave } from '../voice/controller';
import { firstTextChannel, openChannel } from './actions';
import { putPrivate, rememberUser } from './private';
import { changed, state } from './store';

/** Whether a CHANNEL_* dispatch is about a DM or group DM rather than the space's channels. */
export function isPrivateDispatch(d: { type?: number; guild_id?: Snowflake | null }): boolean {
  return !d.guild_id && (d.type === PrivateType.Dm || d.type === PrivateType.Group);
}

/** READY: the open conversations, who is blocked, the DM setting. Calls follow as CALL_CREATE. */
export function onReadyPrivate(d: Ready): void {
  state.privateChannels.clear();
  pendingPrivate = [];
  for (const user of d.users ?? []) rememberUser(user);
  for (const channel of d.private_channels ?? []) {
    if ('recipient_ids' in channel) pendingPrivate.push(channel);
    else putPrivate(channel);
  }
  state.blocked.clear();
  for (const relationship of d.relationships ?? []) putRelationship(relationship);
  state.dmsRestricted = d.user_settings?.default_guilds_restricted ?? false;
  state.calls.clear();
}

/** READY's conversations that name their recipients by id, until GUILD_CREATE brings the members. */
let pendingPrivate: DedupedPrivateChannel[] = [];

/** GUILD_CREATE: READY's conversations get their recipients from the members (or READY's `users`). */
export function resolvePendingPrivate(): void {
  for (const { recipient_ids, ...channel } of pendingPrivate) {
    const recipients = recipient_ids.map(
      (id): User =>
        state.members.get(id)?.user ??
        state.users.get(id) ?? {
          id,
          username: 'unknown',
          global_name: null,
          discriminator: '0',
          avatar: null,
          bot: false,
          system: false,
          public_flags: 0,
          flags: 0,
          banner: null,
          accent_color: null,
          avatar_decoration_data: null,
          primary_guild: null,
        },
    );
    putPrivate({ ...channel, recipients });
  }
  pendingPrivate = [];
}

function putRelationship(d: Relationship): void {
  if (d.type !== RelationshipType.Blocked) return;
  state.blocked.add(d.id);
  rememberUser(d.user);
}

/** A conversation this user is no longer in (left, removed, closed): out of the list, and out of view. */
export function dropPrivate(id: Snowflake): void {
  if (!state.privateChannels.delete(id)) return;
  state.histories.delete(id);
  state.notices.delete(id);
  state.calls.delete(id);
  if (state.voice.channelId === id) leave();
  if (state.dmDialog && 'channelId' in state.dmDialog && state.dmDialog.channelId === id) state.dmDialog = null;
  if (state.activeChannel === id) {
    state.activeChannel = null;
    openChannel(firstTextChannel());
  }
}

/** A message in a conversation the client does not know (its CHANNEL_CREATE was missed): fetch it. */
export function fetchUnknownPrivate(message: Message): void {
  if (message.guild_id || state.channels.has(message.channel_id) || state.privateChannels.has(message.channel_id)) return;
  void api<PrivateChannel>('GET', `/channels/${message.channel_id}`)
    .then((channel) => {
      if (!isPrivateDispatch(channel)) return;
      putPrivate(channel);
      changed();
    })
    .catch(() => undefined);
}

/** Who started each call: the author of its "started a call" message (by call, keyed by that message's id). */
const starters = new Map<Snowflake, Snowflake>();

/** The user who started a call, once known (from the loaded history, else fetched once). */
export function callStarter(call: Call): Snowflake | undefined {
  return starters.get(call.message_id);
}

function learnStarter(d: Call): void {
  if (starters.has(d.message_id)) return;
  const loaded = state.histories.get(d.channel_id)?.messages.find((m) => m.id === d.message_id);
  if (loaded) {
    starters.set(d.message_id, loaded.author.id);
    return;
  }
  starters.set(d.message_id, '');
  void api<Message>('GET', `/channels/${d.channel_id}/messages/${d.message_id}`)
    .then((message) => {
      starters.set(d.message_id, message.author.id);
      changed();
    })
    .catch(() => starters.delete(d.message_id));
}

function putCall(d: Call): void {
  state.calls.set(d.channel_id, d);
  for (const vs of d.voice_states ?? []) if (vs.channel_id) state.voiceStates.set(vs.user_id, vs);
  if (state.me && d.ringing.includes(state.me.id)) learnStarter(d);
}

export const privateHandlers = {
  CHANNEL_RECIPIENT_ADD(d: ChannelRecipient) {
    const channel = state.privateChannels.get(d.channel_id);
    if (!channel || d.user.id === state.me?.id || channel.recipients.some((u) => u.id === d.user.id)) return;
    putPrivate({ ...channel, recipients: [...channel.recipients, d.user] });
  },
  CHANNEL_RECIPIENT_REMOVE(d: ChannelRecipient) {
    if (d.user.id === state.me?.id) {
      dropPrivate(d.channel_id);
      return;
    }
    const channel = state.privateChannels.get(d.channel_id);
    if (!channel) return;
    putPrivate({ ...channel, recipients: channel.recipients.filter((u) => u.id !== d.user.id) });
  },
  RELATIONSHIP_ADD(d: Relationship) {
    putRelationship(d);
    state.peopleVersion += 1;
  },
  RELATIONSHIP_REMOVE(d: RelationshipRemove) {
    if (d.type === RelationshipType.Blocked) state.blocked.delete(d.id);
    state.peopleVersion += 1;
  },
  USER_SETTINGS_UPDATE(d: Partial<UserSettings>) {
    if (typeof d.default_guilds_restricted === 'boolean') state.dmsRestricted = d.default_guilds_restricted;
  },
  CALL_CREATE: putCall,
  CALL_UPDATE: putCall,
  CALL_DELETE(d: CallDelete) {
    state.calls.delete(d.channel_id);
    for (const [userId, vs] of state.voiceStates) {
      if (vs.channel_id === d.channel_id && userId !== state.me?.id) state.voiceStates.delete(userId);
    }
  },
};

/** CHANNEL_CREATE / CHANNEL_UPDATE of a DM or group. */
export function onPrivateChannel(d: PrivateChannel): void {
  putPrivate(d);
}

// Direct messages and group DMs as the store keeps them: what a conversation is called and who is in it, the
// order of the DM list, blocks, and the bookkeeping shared by the gateway's dispatches and the REST answers
// (a channel put in or taken out, the people in it remembered for names and avatars). No network calls here:
// those are `dms.ts`.

import { PrivateType, type Message, type PrivateChannel, type Snowflake, type User } from '../api/types';
import { displayName, idCompare, state } from './store';

/** The most people in a group DM, its creator included (Discord's limit; the server refuses more). */
export const MAX_GROUP = 10;

export function isPrivate(id: Snowflake | null | undefined): boolean {
  return !!id && state.privateChannels.has(id);
}

export function isGroup(channel: PrivateChannel): boolean {
  return channel.type === PrivateType.Group;
}

/** The other person of a two-person DM. */
export function dmPartner(channel: PrivateChannel): User | undefined {
  return channel.type === PrivateType.Dm ? channel.recipients[0] : undefined;
}

/** A DM: the other person's name; a group: its name, or its people's names. */
export function conversationName(channel: PrivateChannel): string {
  if (!isGroup(channel)) {
    const partner = dmPartner(channel);
    return partner ? displayName(partner.id, partner) : 'Unknown user';
  }
  if (channel.name) return channel.name;
  const names = channel.recipients.map((u) => displayName(u.id, u)).sort((x, y) => x.localeCompare(y));
  return names.length ? names.join(', ') : 'Unnamed group';
}

/** How many people a group has, this user included. */
export function groupSize(channel: PrivateChannel): number {
  return channel.recipients.length + 1;
}

export function groupIconUrl(channel: PrivateChannel): string | null {
  return channel.icon ? `/channel-icons/${channel.id}/${channel.icon}.png` : null;
}

/** The newest activity in a conversation: its last message, or its creation. */
function activity(channel: PrivateChannel): Snowflake {
  const last = channel.last_message_id;
  return last && idCompare(last, channel.id) > 0 ? last : channel.id;
}

/** The DM list: newest activity first. */
export function conversations(): PrivateChannel[] {
  return [...state.privateChannels.values()].sort((a, b) => idCompare(activity(b), activity(a)));
}

/** The open DM with someone, if there is one. */
export function dmWith(userId: Snowflake): PrivateChannel | undefined {
  for (const channel of state.privateChannels.values()) {
    if (channel.type === PrivateType.Dm && channel.recipients[0]?.id === userId) return channel;
  }
  return undefined;
}

export function isBlocked(userId: Snowflake): boolean {
  return state.blocked.has(userId);
}

/** The owner of a group may remove people from it. */
export function ownsGroup(channel: PrivateChannel): boolean {
  return isGroup(channel) && !!state.me && channel.owner_id === state.me.id;
}

export function rememberUser(user: User): void {
  const known = state.users.get(user.id);
  state.users.set(user.id, known ? { ...known, ...user } : user);
}

/** Puts a DM or group in the list (new, or replaced by a newer picture of it). */
export function putPrivate(channel: PrivateChannel): void {
  const old = state.privateChannels.get(channel.id);
  // A CHANNEL_UPDATE may race a MESSAGE_CREATE: keep the newer last message.
  const last =
    old?.last_message_id && (!channel.last_message_id || idCompare(old.last_message_id, channel.last_message_id) > 0)
      ? old.last_message_id
      : channel.last_message_id;
  state.privateChannels.set(channel.id, { ...channel, last_message_id: last });
  for (const user of channel.recipients) rememberUser(user);
  state.peopleVersion += 1;
}

/** Notes a new message in a conversation (for the list's order and unread state). */
export function notePrivateMessage(message: Message): void {
  const channel = state.privateChannels.get(message.channel_id);
  if (!channel) return;
  if (channel.last_message_id && idCompare(channel.last_message_id, message.id) >= 0) return;
  state.privateChannels.set(channel.id, { ...channel, last_message_id: message.id });
}

/** Replaces a user's name or avatar wherever DMs show them (USER_UPDATE). */
export function updatePrivateUser(user: User): void {
  if (state.users.has(user.id)) rememberUser(user);
  for (const channel of state.privateChannels.values()) {
    if (!channel.recipients.some((u) => u.id === user.id)) continue;
    const recipients = channel.recipients.map((u) => (u.id === user.id ? { ...u, ...user } : u));
    state.privateChannels.set(channel.id, { ...channel, recipients });
  }
}

/** The last message of a conversation, when its history is loaded (for the list's preview line). */
export function lastLoadedMessage(channelId: Snowflake): Message | undefined {
  const messages = state.histories.get(channelId)?.messages;
  return messages?.[messages.length - 1];
}

/** Adds a line only this user sees to a conversation. */
export function addNotice(channelId: Snowflake, text: string): void {
  const list = state.notices.get(channelId) ?? [];
  state.notices.set(channelId, [...list, { id: Date.now() + Math.random(), text }]);
}

export function dismissNotice(channelId: Snowflake, id: number): void {
  const list = (state.notices.get(channelId) ?? []).filter((n) => n.id !== id);
  if (list.length) state.notices.set(channelId, list);
  else state.notices.delete(channelId);
}

// What the user does with direct messages: open a DM, make a group, rename it, change its icon, add and remove
// people, leave it, close a DM; block and unblock; the DM setting; start, join and decline calls. Each calls the
// REST API; the answer is applied at once (so the conversation can open) and the gateway's dispatch, which
// follows, changes nothing more.

import { api } from '../api/rest';
import { RelationshipType, type PrivateChannel, type Snowflake, type UserSettings } from '../api/types';
import { join } from '../voice/controller';
import { attempt, openChannel } from './actions';
import { dmWith, putPrivate } from './private';
import { state, update, userById } from './store';

function closeOverlays(): void {
  update((s) => {
    s.profile = null;
    s.dmDialog = null;
  });
}

/** Opens the DM with someone (the server answers with the same channel every time, reopening a closed one). */
export async function openDm(userId: Snowflake): Promise<void> {
  closeOverlays();
  const open = dmWith(userId);
  if (open) {
    openChannel(open.id);
    return;
  }
  const channel = await attempt(() => api<PrivateChannel>('POST', '/users/@me/channels', { recipient_id: userId }));
  if (!channel) return;
  update(() => putPrivate(channel));
  openChannel(channel.id);
}

/** Creates a group DM with these people (this user makes one more) and opens it. */
export async function createGroup(userIds: Snowflake[], name: string): Promise<boolean> {
  const body: Record<string, unknown> = { recipients: userIds };
  if (name.trim()) body.name = name.trim();
  const channel = await attempt(() => api<PrivateChannel>('POST', '/users/@me/channels', body));
  if (!channel) return false;
  update((s) => {
    putPrivate(channel);
    s.dmDialog = null;
  });
  openChannel(channel.id);
  return true;
}

/** Renames a group (an empty name goes back to the people's names) or changes its icon (a data URI, or null). */
export async function updateGroup(channelId: Snowflake, change: { name?: string | null; icon?: string | null }): Promise<boolean> {
  const channel = await attempt(() => api<PrivateChannel>('PATCH', `/channels/${channelId}`, change));
  if (channel) update(() => putPrivate(channel));
  return channel !== undefined;
}

/** Adds people to a group, one request each (Discord's route takes one user). */
export async function addPeople(channelId: Snowflake, userIds: Snowflake[]): Promise<boolean> {
  for (const id of userIds) {
    const added = await attempt(() => api('PUT', `/channels/${channelId}/recipients/${id}`));
    if (added === undefined) return false;
  }
  update((s) => {
    s.dmDialog = null;
  });
  return true;
}

/** The owner takes someone out of a group. */
export async function removeFromGroup(channelId: Snowflake, userId: Snowflake): Promise<void> {
  await attempt(() => api('DELETE', `/channels/${channelId}/recipients/${userId}`));
}

/** Closes a DM (it comes back with the next message) or leaves a group. */
export async function closeConversation(channelId: Snowflake): Promise<void> {
  update((s) => {
    s.dmDialog = null;
  });
  await attempt(() => api('DELETE', `/channels/${channelId}`));
}

export async function block(userId: Snowflake): Promise<void> {
  const done = await attempt(() => api('PUT', `/users/@me/relationships/${userId}`, { type: RelationshipType.Blocked }));
  if (done === undefined) return;
  update((s) => {
    s.blocked.add(userId);
    const user = userById(userId);
    if (user && !s.users.has(userId)) s.users.set(userId, user);
    s.peopleVersion += 1;
  });
}

export async function unblock(userId: Snowflake): Promise<void> {
  const done = await attempt(() => api('DELETE', `/users/@me/relationships/${userId}`));
  if (done === undefined) return;
  update((s) => {
    s.blocked.delete(userId);
    s.peopleVersion += 1;
  });
}

/** "Allow direct messages from people in this space" (Discord's `default_guilds_restricted`, inverted). */
export async function setDmsAllowed(allowed: boolean): Promise<void> {
  const settings = await attempt(() =>
    api<UserSettings>('PATCH', '/users/@me/settings', { default_guilds_restricted: !allowed }),
  );
  if (settings) {
    update((s) => {
      s.dmsRestricted = settings.default_guilds_restricted;
    });
  }
}

/** Starts (or joins) the call of a DM or group: the first one in rings the others. Call it from a click. */
export function joinCall(channelId: Snowflake): void {
  if (state.activeChannel !== channelId) openChannel(channelId);
  void join(channelId);
}

/** Declines a ringing call: the ringing stops here at once, and on this user's other devices when the server
 *  answers (CALL_UPDATE). */
export async function declineCall(channelId: Snowflake): Promise<void> {
  const me = state.me?.id;
  update((s) => {
    const call = s.calls.get(channelId);
    if (call && me) s.calls.set(channelId, { ...call, ringing: call.ringing.filter((id) => id !== me) });
  });
  await api('POST', `/channels/${channelId}/call/stop-ringing`, {}).catch(() => undefined);
}

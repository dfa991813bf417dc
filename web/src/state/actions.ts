// What the user does: open channels (and DMs), page history, send (text, files, stickers, voice messages), edit,
// delete, react, pin, reply, start threads, ack, typing. Each calls the REST API and lets the gateway's dispatch
// update the state (so every tab agrees); failures surface as a dismissable error line, except a DM the other
// person does not accept, which becomes a line in the conversation.

import { ApiError, api, upload } from '../api/rest';
import { ChannelType, MessageFlag, type Channel, type Message, type ReactionEmoji, type Snowflake } from '../api/types';
import { reactionSegment, sameEmoji } from './expressions';
import { prepareOutgoing } from './outgoing';
import { addNotice, conversationName, isGroup, isPrivate } from './private';
import { changed, defaultPanel, history, idCompare, state, update } from './store';

const PAGE = 50;

export function showError(error: unknown): void {
  const text = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  update((s) => {
    s.error = text;
  });
}

/** Runs a REST action, showing its error if it fails. */
export async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  }
}

export function channelPath(id: Snowflake): string {
  return `/channels/${isPrivate(id) ? '@me' : (state.guild?.id ?? '@me')}/${id}`;
}

/** What Discord answers (50007) when a DM cannot reach the other person. */
const CANNOT_MESSAGE = 50007;
const UNDELIVERED =
  "Your message could not be delivered: this person isn't accepting direct messages from you. This can be " +
  'because one of you blocked the other, they turned off direct messages from people in this space, or they ' +
  'are no longer here.';

/** Opens a DM or group DM in the chat pane. */
function openPrivate(id: Snowflake, push: boolean): void {
  const channel = state.privateChannels.get(id)!;
  update((s) => {
    s.activeChannel = id;
    s.stage = null;
    s.replyTo = null;
    s.editing = null;
    s.drawer = null;
    s.openThread = null;
    if (s.panel === 'pins' || s.panel === 'threads') s.panel = defaultPanel();
    // A search of another conversation (or of the space) does not follow into this one.
    if (s.panel === 'search' && s.searchIn !== id) s.panel = defaultPanel();
  });
  if (push && window.location.pathname !== channelPath(id)) window.history.pushState(null, '', channelPath(id));
  const name = conversationName(channel);
  document.title = `${isGroup(channel) ? name : `@${name}`} · ${state.guild?.name ?? 'spot'}`;
  const h = history(id);
  h.dividerAfter = unreadDivider(id);
  if (h.messages.length === 0) void loadOlder(id);
  else markRead(id);
}

/** Opens a text channel (or a thread's parent when given a thread, opening the thread beside it). */
export function openChannel(id: Snowflake, push = true): void {
  if (isPrivate(id)) {
    openPrivate(id, push);
    return;
  }
  const channel = state.channels.get(id);
  if (!channel) return;
  if (channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread) {
    if (channel.parent_id && channel.parent_id !== state.activeChannel) openChannel(channel.parent_id, push);
    openThread(id);
    return;
  }
  if (channel.type !== ChannelType.Text) return;
  update((s) => {
    s.activeChannel = id;
    s.stage = null;
    s.replyTo = null;
    s.editing = null;
    s.drawer = null;
    if (s.panel === 'pins' || s.panel === 'threads') s.panel = defaultPanel();
    if (s.panel === 'search' && s.searchIn) s.panel = defaultPanel();
    if (s.openThread && s.channels.get(s.openThread)?.parent_id !== id) s.openThread = null;
  });
  if (push && window.location.pathname !== channelPath(id)) window.history.pushState(null, '', channelPath(id));
  document.title = `#${channel.name} · ${state.guild?.name ?? 'spot'}`;
  const h = history(id);
  h.dividerAfter = unreadDivider(id);
  if (h.messages.length === 0) void loadOlder(id);
  else markRead(id);
}

export function openThread(id: Snowflake | null): void {
  update((s) => {
    s.openThread = id;
  });
  if (id) {
    const h = history(id);
    if (h.messages.length === 0) void loadOlder(id);
    else markRead(id);
  }
}

function unreadDivider(id: Snowflake): Snowflake | null {
  const channel = state.channels.get(id) ?? state.privateChannels.get(id);
  const read = state.readStates.get(id);
  if (!channel?.last_message_id || !read?.lastRead) return null;
  return idCompare(channel.last_message_id, read.lastRead) > 0 ? read.lastRead : null;
}

/** Loads the page before the oldest loaded message (or the latest page). */
export async function loadOlder(channelId: Snowflake): Promise<void> {
  const h = history(channelId);
  if (h.loading || !h.hasMoreBefore) return;
  h.loading = true;
  changed();
  const oldest = h.messages[0]?.id;
  const query = oldest ? `?before=${oldest}&limit=${PAGE}` : `?limit=${PAGE}`;
  try {
    const page = await api<Message[]>('GET', `/channels/${channelId}/messages${query}`);
    const known = new Set(h.messages.map((m) => m.id));
    h.messages = [...page.reverse().filter((m) => !known.has(m.id)), ...h.messages];
    h.hasMoreBefore = page.length === PAGE;
    if (!oldest) markRead(channelId);
  } catch (error) {
    showError(error);
  } finally {
    h.loading = false;
    changed();
  }
}

/** Loads the page after the newest loaded message, when the history was opened in the past. */
export async function loadNewer(channelId: Snowflake): Promise<void> {
  const h = history(channelId);
  const newest = h.messages[h.messages.length - 1]?.id;
  if (h.loading || !h.hasMoreAfter || !newest) return;
  h.loading = true;
  changed();
  try {
    const page = await api<Message[]>('GET', `/channels/${channelId}/messages?after=${newest}&limit=${PAGE}`);
    const known = new Set(h.messages.map((m) => m.id));
    const newer = page.filter((m) => !known.has(m.id)).sort((a, b) => idCompare(a.id, b.id));
    h.messages = [...h.messages, ...newer];
    h.hasMoreAfter = page.length === PAGE;
  } catch (error) {
    showError(error);
  } finally {
    h.loading = false;
    changed();
  }
}

/** Shows the history around a message and highlights it. */
export async function jumpTo(channelId: Snowflake, messageId: Snowflake): Promise<void> {
  const channel = state.channels.get(channelId) ?? state.privateChannels.get(channelId);
  if (!channel) return;
  const isThread = channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread;
  if (isThread) openChannel(channelId);
  else if (state.activeChannel !== channelId) openChannel(channelId);
  const h = history(channelId);
  if (h.messages.some((m) => m.id === messageId)) {
    h.focus = messageId;
    changed();
    return;
  }
  await attempt(async () => {
    const page = await api<Message[]>('GET', `/channels/${channelId}/messages?around=${messageId}&limit=${PAGE}`);
    page.sort((a, b) => idCompare(a.id, b.id));
    h.messages = page;
    h.hasMoreBefore = true;
    h.hasMoreAfter = true;
    h.focus = messageId;
    changed();
  });
}

/** Drops a history opened in the past and loads the latest page again. */
export async function jumpToPresent(channelId: Snowflake): Promise<void> {
  const h = history(channelId);
  h.messages = [];
  h.hasMoreBefore = true;
  h.hasMoreAfter = false;
  h.focus = null;
  await loadOlder(channelId);
}

/**
 * After a fresh IDENTIFY the events of the gap were not replayed: fetch what the open histories missed.
 * Histories of channels not open are dropped and reloaded when opened.
 */
export function catchUp(): void {
  const known = (id: Snowflake) => state.channels.has(id) || state.privateChannels.has(id);
  for (const [id, h] of state.histories) {
    if (!known(id)) state.histories.delete(id);
    else if (id !== state.activeChannel && id !== state.openThread) state.histories.delete(id);
    else if (h.messages.length > 0 && !h.hasMoreAfter) {
      h.hasMoreAfter = true;
      void loadNewer(id);
    }
  }
  if (!state.activeChannel || !known(state.activeChannel)) {
    openChannel(channelFromPath() ?? firstTextChannel(), false);
  } else if (state.histories.get(state.activeChannel) === undefined) {
    openChannel(state.activeChannel, false);
  }
}

function channelFromPath(): Snowflake | null {
  const match = /^\/channels\/[^/]+\/(\d+)/.exec(window.location.pathname);
  return match && (state.channels.has(match[1]) || state.privateChannels.has(match[1])) ? match[1] : null;
}

export function firstTextChannel(): Snowflake {
  const texts = [...state.channels.values()].filter((c) => c.type === ChannelType.Text);
  texts.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return texts[0]?.id ?? '';
}

const lastAck = new Map<Snowflake, Snowflake>();

/** Acknowledges the newest message of a channel the user is looking at. */
export function markRead(channelId: Snowflake): void {
  const h = state.histories.get(channelId);
  // An ephemeral answer is not stored: the newest stored message is what was read.
  let at = (h?.messages.length ?? 0) - 1;
  while (at >= 0 && (h!.messages[at].flags & MessageFlag.Ephemeral) !== 0) at--;
  const newest = at >= 0 ? h!.messages[at].id : undefined;
  if (!newest || h?.hasMoreAfter || document.hidden) return;
  const read = state.readStates.get(channelId);
  if (read?.lastRead && idCompare(read.lastRead, newest) >= 0 && read.mentions === 0) return;
  if (lastAck.get(channelId) === newest) return;
  lastAck.set(channelId, newest);
  state.readStates.set(channelId, { lastRead: newest, mentions: 0 });
  changed();
  void api('POST', `/channels/${channelId}/messages/${newest}/ack`, { token: null }).catch(() => {
    lastAck.delete(channelId);
  });
}

function nonce(): string {
  return `${Date.now()}${Math.floor(Math.random() * 1000)}`;
}

/** Sends a message (with files, through the upload path with progress); `extra` joins the payload (stickers, a
 *  voice message's flags and attachment), and then the content may be empty. */
export async function send(
  channelId: Snowflake,
  content: string,
  files: File[] = [],
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const reply = state.replyTo && state.replyTo.channel_id === channelId ? state.replyTo : null;
  const payload: Record<string, unknown> = { content: prepareOutgoing(content), nonce: nonce(), ...extra };
  if (!content && Object.keys(extra).length > 0) delete payload.content;
  if (reply) {
    payload.message_reference = { message_id: reply.id, channel_id: channelId, fail_if_not_exists: false };
  }
  update((s) => {
    s.replyTo = null;
  });
  const h = history(channelId);
  if (h.hasMoreAfter) await jumpToPresent(channelId);
  if (files.length === 0) {
    return (await deliver(channelId, () => api<Message>('POST', `/channels/${channelId}/messages`, payload))) !== undefined;
  }
  const job = upload<Message>(`/channels/${channelId}/messages`, payload, files, (progress) => {
    entry.progress = progress;
    changed();
  });
  const entry = { channelId, names: files.map((f) => f.name).join(', '), progress: 0, abort: job.abort };
  update((s) => {
    s.uploads = [...s.uploads, entry];
  });
  const sent = await deliver(channelId, () => job.done);
  update((s) => {
    s.uploads = s.uploads.filter((u) => u !== entry);
  });
  return sent !== undefined;
}

/** Runs a send; a DM the other person does not accept becomes a line in the conversation, not an error toast. */
async function deliver<T>(channelId: Snowflake, job: () => Promise<T>): Promise<T | undefined> {
  try {
    return await job();
  } catch (error) {
    if (error instanceof ApiError && error.code === CANNOT_MESSAGE && isPrivate(channelId)) {
      update(() => addNotice(channelId, UNDELIVERED));
    } else {
      showError(error);
    }
    return undefined;
  }
}

export async function edit(message: Message, content: string): Promise<void> {
  update((s) => {
    s.editing = null;
  });
  if (prepareOutgoing(content) === message.content) return;
  const body = { content: prepareOutgoing(content) };
  await attempt(() => api('PATCH', `/channels/${message.channel_id}/messages/${message.id}`, body));
}

export async function remove(message: Message): Promise<void> {
  await attempt(() => api('DELETE', `/channels/${message.channel_id}/messages/${message.id}`));
}

/** Sends one of the space's stickers. */
export function sendSticker(channelId: Snowflake, stickerId: Snowflake): Promise<boolean> {
  return send(channelId, '', [], { sticker_ids: [stickerId] });
}

/** Sends a recorded voice message: the one file, its length and its waveform (base64 of 0-255 amplitudes). */
export function sendVoiceMessage(
  channelId: Snowflake,
  file: File,
  durationSecs: number,
  waveform: string,
): Promise<boolean> {
  const attachment = { id: 0, filename: file.name, duration_secs: durationSecs, waveform };
  return send(channelId, '', [file], { flags: MessageFlag.VoiceMessage, attachments: [attachment] });
}

/** Adds or takes back this user's reaction: a Unicode emoji (its characters) or a custom one. */
export async function toggleReaction(message: Message, given: ReactionEmoji | string): Promise<void> {
  const emoji = typeof given === 'string' ? { id: null, name: given } : given;
  const mine = message.reactions?.some((r) => sameEmoji(r.emoji, emoji) && r.me);
  const path = `/channels/${message.channel_id}/messages/${message.id}/reactions/${reactionSegment(emoji)}/@me`;
  await attempt(() => api(mine ? 'DELETE' : 'PUT', path));
}

export async function setPinned(message: Message, pinned: boolean): Promise<void> {
  await attempt(() => api(pinned ? 'PUT' : 'DELETE', `/channels/${message.channel_id}/pins/${message.id}`));
}

export async function startThread(message: Message, name: string): Promise<void> {
  const thread = await attempt(() =>
    api<Channel>('POST', `/channels/${message.channel_id}/messages/${message.id}/threads`, {
      name,
      auto_archive_duration: 1440,
    }),
  );
  if (thread) {
    state.channels.set(thread.id, thread);
    openThread(thread.id);
  }
}

const lastTyping = new Map<Snowflake, number>();

/** Tells others we are typing, at most every 8 seconds per channel (Discord shows it for 10). */
export function typing(channelId: Snowflake): void {
  const now = Date.now();
  if ((lastTyping.get(channelId) ?? 0) > now - 8000) return;
  lastTyping.set(channelId, now);
  void api('POST', `/channels/${channelId}/typing`).catch(() => lastTyping.delete(channelId));
}

/** Asks the server for the current user's space-level permissions (it alone knows, e.g., instance admins). */
export function refreshPermissions(): void {
  void api<{ id: Snowflake; permissions: string }[]>('GET', '/users/@me/guilds')
    .then((guilds) => {
      const home = guilds.find((g) => g.id === state.guild?.id);
      state.permissions = BigInt(home?.permissions ?? '0');
      changed();
    })
    .catch(() => undefined);
}

// Notification settings as Discord keeps them ("user guild settings"), stored by the server so every device
// obeys them: one entry for the space and one for DMs ('@me'), each with a default level (all messages, only
// @mentions, nothing), a mute, "suppress @everyone" and per-channel overrides. A channel inherits along
// channel → parent (a thread's) → category → entry. READY brings them; USER_GUILD_SETTINGS_UPDATE replaces an
// entry; changes are PATCHed and the answer (the whole entry) is stored.

import { api } from '../api/rest';
import {
  NotifyLevel,
  type ChannelOverride,
  type Message,
  type MuteConfig,
  type Snowflake,
  type UserGuildSettings,
  type UserGuildSettingsList,
  type UserGuildSettingsPatch,
} from '../api/types';
import { attempt } from './actions';
import { isPrivate } from './private';
import { changed, state } from './store';

/** The key (and the REST path segment) of the DMs' entry. */
export const DM_KEY = '@me';

/** Mute lengths the menus offer, in seconds; -1: until turned back on. */
export const MUTE_CHOICES: [number, string][] = [
  [15 * 60, 'For 15 minutes'],
  [60 * 60, 'For 1 hour'],
  [8 * 60 * 60, 'For 8 hours'],
  [24 * 60 * 60, 'For 24 hours'],
  [-1, 'Until I turn it back on'],
];

export const LEVEL_NAMES: Record<NotifyLevel, string> = {
  [NotifyLevel.All]: 'All messages',
  [NotifyLevel.Mentions]: 'Only @mentions',
  [NotifyLevel.Nothing]: 'Nothing',
  [NotifyLevel.Inherit]: 'Default',
};

/** What an entry is before the user changed anything: the space notifies mentions, DMs every message. */
function defaults(key: string): UserGuildSettings {
  const dms = key === DM_KEY;
  return {
    guild_id: dms ? null : key,
    message_notifications: dms ? NotifyLevel.All : NotifyLevel.Mentions,
    muted: false,
    mute_config: null,
    suppress_everyone: false,
    suppress_roles: false,
    mobile_push: true,
    channel_overrides: [],
    version: 0,
    hide_muted_channels: false,
    flags: 0,
    notify_highlights: 0,
    mute_scheduled_events: false,
  };
}

export function settingsFor(key: string): UserGuildSettings {
  return state.notifySettings.get(key) ?? defaults(key);
}

/** The space's key (its id). */
export function spaceKey(): string {
  return state.guild?.id ?? '';
}

/** The entry a channel's settings live in: DMs', or the space's. */
export function entryKey(channelId: Snowflake): string {
  return isPrivate(channelId) ? DM_KEY : spaceKey();
}

/** Whether a mute is in force now (a timed one ends at `end_time`). */
export function muteActive(muted: boolean, config: MuteConfig | null | undefined, now = Date.now()): boolean {
  if (!muted) return false;
  const end = config?.end_time;
  return !end || Date.parse(end) > now;
}

export function override(channelId: Snowflake): ChannelOverride | undefined {
  return settingsFor(entryKey(channelId)).channel_overrides.find((o) => o.channel_id === channelId);
}

/** The channel, its parent (a thread's channel), and its category: where a channel's settings come from. */
function chain(channelId: Snowflake): Snowflake[] {
  const ids = [channelId];
  let channel = state.channels.get(channelId);
  for (let depth = 0; channel?.parent_id && depth < 2; depth += 1) {
    ids.push(channel.parent_id);
    channel = state.channels.get(channel.parent_id);
  }
  return ids;
}

/** Whether notifications from a channel or DM are muted: by its own mute, its parent's or category's, or the
 *  whole space's. */
export function isMuted(channelId: Snowflake): boolean {
  const entry = settingsFor(entryKey(channelId));
  if (muteActive(entry.muted, entry.mute_config)) return true;
  return chain(channelId).some((id) => {
    const o = entry.channel_overrides.find((x) => x.channel_id === id);
    return !!o && muteActive(o.muted, o.mute_config);
  });
}

/** The channel's own mute, for its menu: muted, and until when (null: until turned back on). */
export function ownMute(channelId: Snowflake): { until: string | null } | null {
  const o = override(channelId);
  return o && muteActive(o.muted, o.mute_config) ? { until: o.mute_config?.end_time ?? null } : null;
}

/** The channel's own level (Inherit when it has none). */
export function ownLevel(channelId: Snowflake): NotifyLevel {
  return override(channelId)?.message_notifications ?? NotifyLevel.Inherit;
}

/** The level a channel inherits when its own is "Default": its parent's or category's, else the entry's. */
export function inheritedLevel(channelId: Snowflake): NotifyLevel {
  const entry = settingsFor(entryKey(channelId));
  for (const id of chain(channelId).slice(1)) {
    const level = entry.channel_overrides.find((x) => x.channel_id === id)?.message_notifications;
    if (level !== undefined && level !== NotifyLevel.Inherit) return level;
  }
  return entry.message_notifications;
}

/** The level in force for a channel: its own, else what it inherits. */
export function effectiveLevel(channelId: Snowflake): NotifyLevel {
  const own = ownLevel(channelId);
  return own === NotifyLevel.Inherit ? inheritedLevel(channelId) : own;
}

/** Whether a message addresses this user by name or role (or @everyone, unless the user suppressed it). */
function mentioned(message: Message): boolean {
  const me = state.me;
  if (!me) return false;
  if (message.mentions.some((u) => u.id === me.id)) return true;
  const mine = state.members.get(me.id)?.roles ?? [];
  if (message.mention_roles.some((r) => mine.includes(r))) return true;
  return message.mention_everyone && !settingsFor(entryKey(message.channel_id)).suppress_everyone;
}

/** Whether a message from someone else should notify this user, by these settings and Do Not Disturb. */
export function shouldNotify(message: Message): boolean {
  if (state.myStatus === 'dnd' || isMuted(message.channel_id)) return false;
  switch (effectiveLevel(message.channel_id)) {
    case NotifyLevel.All:
      return true;
    case NotifyLevel.Mentions:
      return mentioned(message);
    default:
      return false;
  }
}

/** READY's entries. */
export function onReadySettings(list: UserGuildSettingsList | undefined): void {
  state.notifySettings.clear();
  for (const entry of list?.entries ?? []) state.notifySettings.set(entry.guild_id ?? DM_KEY, entry);
  scheduleExpiry();
}

/** USER_GUILD_SETTINGS_UPDATE, or a PATCH's answer: the whole entry. */
export function putSettings(entry: UserGuildSettings): void {
  const key = entry.guild_id ?? DM_KEY;
  const old = state.notifySettings.get(key);
  if (old && old.version > entry.version) return;
  state.notifySettings.set(key, entry);
  scheduleExpiry();
}

let expiryTimer: number | undefined;

/** Re-renders when the next timed mute ends (channels stop being dimmed without a dispatch). */
function scheduleExpiry(): void {
  window.clearTimeout(expiryTimer);
  const now = Date.now();
  let next = Infinity;
  const consider = (muted: boolean, config: MuteConfig | null) => {
    const end = config?.end_time ? Date.parse(config.end_time) : NaN;
    if (muted && end > now) next = Math.min(next, end);
  };
  for (const entry of state.notifySettings.values()) {
    consider(entry.muted, entry.mute_config);
    for (const o of entry.channel_overrides) consider(o.muted, o.mute_config);
  }
  if (next === Infinity) return;
  expiryTimer = window.setTimeout(
    () => {
      changed();
      scheduleExpiry();
    },
    Math.min(next - now + 250, 2 ** 31 - 1),
  );
}

/** Changes an entry on the server and keeps its answer. */
export async function patchSettings(key: string, body: UserGuildSettingsPatch): Promise<boolean> {
  const entry = await attempt(() => api<UserGuildSettings>('PATCH', `/users/@me/guilds/${key}/settings`, body));
  if (!entry) return false;
  putSettings(entry);
  changed();
  return true;
}

/** A mute for `seconds` from now, or (-1) until turned back on. */
export function muteFor(seconds: number): MuteConfig {
  return {
    end_time: seconds < 0 ? null : new Date(Date.now() + seconds * 1000).toISOString(),
    selected_time_window: seconds,
  };
}

export function setChannelLevel(channelId: Snowflake, level: NotifyLevel): Promise<boolean> {
  return patchSettings(entryKey(channelId), { channel_overrides: { [channelId]: { message_notifications: level } } });
}

export function muteChannel(channelId: Snowflake, seconds: number): Promise<boolean> {
  const mute = { muted: true, mute_config: muteFor(seconds) };
  return patchSettings(entryKey(channelId), { channel_overrides: { [channelId]: mute } });
}

export function unmuteChannel(channelId: Snowflake): Promise<boolean> {
  return patchSettings(entryKey(channelId), {
    channel_overrides: { [channelId]: { muted: false, mute_config: null } },
  });
}

/** "Muted until 14:05" / "Muted until Tue 09:00" / "Muted until you turn it back on". */
export function describeMute(until: string | null): string {
  if (!until) return 'Muted until you turn it back on';
  const end = new Date(until);
  const sameDay = end.toDateString() === new Date().toDateString();
  const time = end.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `Muted until ${sameDay ? time : `${end.toLocaleDateString([], { weekday: 'short' })} ${time}`}`;
}

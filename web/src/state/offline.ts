// Offline: whether the browser has a network (`online` / `offline` events → `state.offline`, for the banner),
// and the saved view the page starts from when the server cannot be reached — the current user, the space, its
// channels, roles, custom emoji and stickers, the members, the DMs, read states, notification settings and the
// channel that was open. The view is kept in this user's `spot-data-<id>` cache beside the API answers the
// service worker saved (src/sw.ts), so the last-opened channel renders offline: its messages come from the
// worker's cache through the ordinary REST calls. Logout, and another user logging in, delete it with the rest of
// that cache.

import {
  MessageFlag,
  type Channel,
  type GuildEmoji,
  type Member,
  type Message,
  type PrivateChannel,
  type Role,
  type Snowflake,
  type Sticker,
  type User,
  type UserGuildSettings,
} from '../api/types';
import { openChannel } from './actions';
import { history, state, update, type ReadState } from './store';

/** The newest loaded messages of a channel, when what is loaded reaches the present (not the ones only this
 *  user saw: ephemeral answers vanish on reload). */
function newest(channelId: Snowflake): Message[] {
  const h = state.histories.get(channelId);
  const kept = h && !h.hasMoreAfter ? h.messages.filter((m) => (m.flags & MessageFlag.Ephemeral) === 0) : [];
  return kept.slice(-KEPT_MESSAGES);
}

/** Where the view is kept in the user's data cache (never a real URL of the server). */
const VIEW = '/__spot/view.json';

interface View {
  version: 1;
  me: User;
  guild: NonNullable<typeof state.guild>;
  channels: Channel[];
  privateChannels: PrivateChannel[];
  users: User[];
  members: Member[];
  roles: Role[];
  /** Added later: a view saved before has none. */
  emojis?: GuildEmoji[];
  stickers?: Sticker[];
  readStates: [Snowflake, ReadState][];
  notifySettings: UserGuildSettings[];
  activeChannel: Snowflake | null;
  /** The open channel's newest loaded messages (a history loaded before the worker was in charge is not in
   *  its cache). */
  messages: Message[];
}

/** How many of the open channel's messages the view keeps. */
const KEPT_MESSAGES = 50;

function dataCache(userId: Snowflake): string {
  return `spot-data-${userId}`;
}

/** Follows the browser's network state. */
export function watchNetwork(): void {
  const set = (offline: boolean) =>
    update((s) => {
      s.offline = offline;
    });
  window.addEventListener('online', () => set(false));
  window.addEventListener('offline', () => set(true));
}

let saved = '';
let timer: number | undefined;
/** Logging out: nothing is saved any more (the page's last moments must not write the view back). */
let stopped = false;

export function stopSaving(): void {
  stopped = true;
  window.clearTimeout(timer);
}

/** Saves the view within `delay` (at most once per `delay`, however many changes come meanwhile). */
export function scheduleSave(delay = 2000): void {
  if (timer !== undefined) return;
  timer = window.setTimeout(() => void saveView(), delay);
}

/** Saves the view now, when it is live (never a view that was itself restored). */
export async function saveView(): Promise<void> {
  window.clearTimeout(timer);
  timer = undefined;
  const me = state.me;
  const guild = state.guild;
  if (stopped || !me || !guild || state.fromCache || state.status !== 'ready' || !('caches' in window)) return;
  const view: View = {
    version: 1,
    me,
    guild,
    channels: [...state.channels.values()],
    privateChannels: [...state.privateChannels.values()],
    users: [...state.users.values()],
    members: [...state.members.values()],
    roles: [...state.roles.values()],
    emojis: [...state.emojis.values()],
    stickers: [...state.stickers.values()],
    readStates: [...state.readStates.entries()],
    notifySettings: [...state.notifySettings.values()],
    activeChannel: state.activeChannel,
    messages: state.activeChannel ? newest(state.activeChannel) : [],
  };
  const text = JSON.stringify(view);
  if (text === saved) return;
  try {
    const cache = await caches.open(dataCache(me.id));
    await cache.put(VIEW, new Response(text, { headers: { 'Content-Type': 'application/json' } }));
    saved = text;
  } catch {
    // No storage (a private window, a full disk): offline shows nothing, as before.
  }
}

/** Saves again whenever the open channel changes, and when the tab goes to the background. */
export function watchView(): void {
  let active = state.activeChannel;
  window.setInterval(() => {
    if (state.activeChannel !== active) {
      active = state.activeChannel;
      void saveView();
    }
  }, 3000);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) void saveView();
  });
  window.addEventListener('pagehide', () => void saveView());
}

let restoring = false;

/** Shows the saved view while the server cannot be reached (nothing has arrived from it yet). There is at most
 *  one user's data cache: the worker and logout delete the others. */
export async function restoreView(): Promise<void> {
  if (restoring || state.me || !('caches' in window)) return;
  restoring = true;
  try {
    const names = (await caches.keys()).filter((name) => name.startsWith('spot-data-'));
    if (names.length !== 1) return;
    const found = await (await caches.open(names[0])).match(VIEW);
    const view = found ? ((await found.json()) as View) : null;
    if (!view || view.version !== 1 || names[0] !== dataCache(view.me.id) || state.me) return;
    update((s) => {
      s.me = view.me;
      s.guild = view.guild;
      s.channels = new Map(view.channels.map((c) => [c.id, c]));
      s.privateChannels = new Map(view.privateChannels.map((c) => [c.id, c]));
      s.users = new Map(view.users.map((u) => [u.id, u]));
      s.members = new Map(view.members.map((m) => [m.user.id, m]));
      s.roles = new Map(view.roles.map((r) => [r.id, r]));
      s.emojis = new Map((view.emojis ?? []).map((e) => [e.id, e]));
      s.stickers = new Map((view.stickers ?? []).map((x) => [x.id, x]));
      s.readStates = new Map(view.readStates);
      s.notifySettings = new Map(view.notifySettings.map((e) => [e.guild_id ?? '@me', e]));
      s.fromCache = true;
    });
    const fromPath = /^\/channels\/[^/]+\/(\d+)/.exec(window.location.pathname)?.[1];
    const open = [fromPath, view.activeChannel].find(
      (id) => !!id && (state.channels.has(id) || state.privateChannels.has(id)),
    );
    if (!open) return;
    if (open === view.activeChannel && view.messages.length > 0) {
      const h = history(open);
      h.messages = view.messages;
      h.hasMoreBefore = true;
    }
    openChannel(open, false);
  } catch {
    // A damaged or missing view: keep waiting for the server.
  } finally {
    restoring = false;
  }
}

/** READY arrived: what shows is live again. */
export function backOnline(): void {
  state.fromCache = false;
}

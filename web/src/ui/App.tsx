// The whole app: connection banner, channel sidebar, chat area, modals, profile cards, incoming calls and the
// error line. On narrow screens the sidebar and the member list are drawers over the chat, closed by the
// backdrop or Escape. What is seldom open (settings, the switcher, dialogs, menus, cards, a voice room) loads
// on demand (`lazy.tsx`, `onDemand.ts`), so the first load stays small.

import { interactions } from '../state/interactions';
import { update, useStore } from '../state/store';
import { ChatPane } from './ChatPane';
import { Ringing } from './Ringing';
import { Sidebar } from './Sidebar';
import { Icon } from './Icon';
import { lazy, onDemand } from './lazy';
import { openAppsMenu, openSheet } from './popups';

const BotForm = lazy(onDemand, 'BotForm');
const Dialogs = lazy(onDemand, 'Dialogs');
const DmDialogs = lazy(onDemand, 'DmDialogs');
const AppsMenu = lazy(onDemand, 'AppsMenu');
const InviteDialog = lazy(onDemand, 'InviteDialog');
/** Also loaded by Ctrl+K (main.tsx) before it opens the switcher. */
export const QuickSwitcher = lazy(onDemand, 'QuickSwitcher');
const MessageSheet = lazy(onDemand, 'MessageSheet');
const ProfileCard = lazy(onDemand, 'ProfileCard');
const Settings = lazy(onDemand, 'Settings');
const VoiceRoom = lazy(onDemand, 'VoiceRoom');

function Banner() {
  const s = useStore();
  if (s.status === 'ready' || (s.status === 'connecting' && !s.me)) return null;
  // Offline (or the server out of reach at start): what shows is what was loaded before (state/offline.ts).
  const offline = s.offline || s.fromCache;
  const text = s.offline
    ? 'Offline — showing what was last loaded.'
    : s.fromCache
      ? "Can't reach the server — showing what was last loaded. Reconnecting…"
      : s.status === 'failed'
        ? `Disconnected: ${s.statusDetail}. Reload the page to try again.`
        : 'Reconnecting… Messages will appear when the connection is back.';
  return (
    <div class={`banner ${offline ? 'offline' : s.status}`} role="status" aria-live="assertive">
      {text}
    </div>
  );
}

function ErrorLine() {
  const s = useStore();
  if (!s.error) return null;
  return (
    <div class="toast" role="alert">
      <span>{s.error}</span>
      <button
        type="button"
        class="icon"
        aria-label="Dismiss"
        onClick={() =>
          update((st) => {
            st.error = null;
          })
        }
      >
        <Icon name="close" size={18} />
      </button>
    </div>
  );
}

export function App() {
  const s = useStore();
  if (!s.me || !s.guild) {
    return (
      <div class="splash" role="status">
        <div class="spinner" aria-hidden="true" />
        <p>{s.status === 'failed' ? `Could not connect: ${s.statusDetail}` : 'Connecting to spot…'}</p>
      </div>
    );
  }
  return (
    <div class={`app${s.drawer ? ` drawer-${s.drawer}` : ''}`}>
      <Banner />
      <div class="layout">
        <Sidebar />
        {s.stage && s.channels.has(s.stage) ? <VoiceRoom channelId={s.stage} /> : <ChatPane />}
      </div>
      {s.drawer && (
        <div
          class="drawer-backdrop"
          aria-hidden="true"
          onClick={() =>
            update((st) => {
              st.drawer = null;
            })
          }
        />
      )}
      {s.modal === 'settings' && <Settings />}
      {s.modal === 'switcher' && <QuickSwitcher />}
      {s.modal === 'invite' && <InviteDialog />}
      {s.dialog && <Dialogs />}
      {s.dmDialog && <DmDialogs />}
      {s.profile && <ProfileCard />}
      {openSheet() && <MessageSheet />}
      {openAppsMenu() && <AppsMenu />}
      {interactions.modal && <BotForm />}
      <Ringing />
      <ErrorLine />
    </div>
  );
}

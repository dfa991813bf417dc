// The whole app: connection banner, channel sidebar, chat area, modals, profile cards, incoming calls and the
// error line. On narrow screens the sidebar and the member list are drawers over the chat, closed by the
// backdrop or Escape.

import { update, useStore } from '../state/store';
import { ChatPane } from './ChatPane';
import { Dialogs } from './Dialogs';
import { DmDialogs } from './DmDialogs';
import { ProfileCard } from './ProfileCard';
import { Ringing } from './Ringing';
import { QuickSwitcher } from './QuickSwitcher';
import { Settings } from './Settings';
import { Sidebar } from './Sidebar';
import { Icon } from './Icon';
import { InviteDialog } from './InviteDialog';
import { MessageSheet } from './MessageSheet';
import { VoiceRoom } from './VoiceRoom';

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
      <Dialogs />
      <DmDialogs />
      <ProfileCard />
      <MessageSheet />
      <Ringing />
      <ErrorLine />
    </div>
  );
}

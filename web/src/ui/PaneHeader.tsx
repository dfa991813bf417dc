// The header of the main area, for a text channel, a DM or a voice room: the button that opens the channel
// drawer on narrow screens (with a dot when a DM waits there), the channel's icon (or the conversation's
// avatar) and name, an optional topic, and the pane's own tools, among them the buttons that toggle the side
// panels.

import type { ComponentChildren } from 'preact';
import { isMuted } from '../state/notifySettings';
import { defaultPanel, state, update, useStore, type Panel } from '../state/store';
import { Icon, type IconName } from './Icon';

/** Shows or hides a side panel; on narrow screens the member list is a drawer. */
export function togglePanel(panel: Panel) {
  update((s) => {
    if (panel === 'members' && s.narrow) {
      s.drawer = s.drawer === 'members' ? null : 'members';
      return;
    }
    // The member list sits where an open thread is: showing it closes the thread.
    if (panel === 'members' && s.openThread) {
      s.openThread = null;
      s.panel = 'members';
      return;
    }
    s.panel = s.panel === panel ? (panel === 'members' ? null : defaultPanel()) : panel;
  });
}

/** A header button toggling a side panel, pressed while the panel shows. */
export function PanelButton({ panel, label, icon }: { panel: Panel; label: string; icon: IconName }) {
  const s = useStore();
  const shown =
    panel !== 'members'
      ? s.panel === panel
      : s.narrow
        ? s.drawer === 'members'
        : s.panel === 'members' && !s.openThread;
  return (
    <button
      type="button"
      class={shown ? 'icon active' : 'icon'}
      aria-label={label}
      aria-pressed={shown}
      title={label}
      onClick={() => togglePanel(panel)}
    >
      <Icon name={icon} />
    </button>
  );
}

/** Whether a DM has messages this user has not seen (shown on the drawer button, where the DM list is). */
function dmWaiting(): boolean {
  for (const id of state.privateChannels.keys()) {
    if (id !== state.activeChannel && (state.readStates.get(id)?.mentions ?? 0) > 0 && !isMuted(id)) return true;
  }
  return false;
}

export function PaneHeader({ icon, avatar, name, topic, children }: {
  icon?: IconName;
  /** Shown instead of the icon (a DM's person, a group's picture). */
  avatar?: ComponentChildren;
  name: string;
  topic?: string | null;
  children: ComponentChildren;
}) {
  const waiting = dmWaiting();
  return (
    <header class="chat-header">
      <button
        type="button"
        class={waiting ? 'icon drawer-toggle waiting' : 'icon drawer-toggle'}
        aria-label={waiting ? 'Show channels (unread direct messages)' : 'Show channels'}
        onClick={() =>
          update((st) => {
            st.drawer = st.drawer === 'channels' ? null : 'channels';
          })
        }
      >
        <Icon name="menu" />
      </button>
      <h2 class="chat-title">
        {avatar ?? (
          <span class="hash" aria-hidden="true">
            <Icon name={icon ?? 'hash'} size={22} />
          </span>
        )}
        <span class="chat-name">{name}</span>
      </h2>
      {topic && <p class="topic">{topic}</p>}
      <div class="header-tools">{children}</div>
    </header>
  );
}

// The header of the main area, for a text channel or a voice room: the button that opens the channel drawer on
// narrow screens, the channel's icon and name, an optional topic, and the pane's own tools.

import type { ComponentChildren } from 'preact';
import { update } from '../state/store';
import { Icon, type IconName } from './Icon';

export function PaneHeader({ icon, name, topic, children }: {
  icon: IconName;
  name: string;
  topic?: string | null;
  children: ComponentChildren;
}) {
  return (
    <header class="chat-header">
      <button
        type="button"
        class="icon drawer-toggle"
        aria-label="Show channels"
        onClick={() =>
          update((st) => {
            st.drawer = st.drawer === 'channels' ? null : 'channels';
          })
        }
      >
        <Icon name="menu" />
      </button>
      <h2 class="chat-title">
        <span class="hash" aria-hidden="true">
          <Icon name={icon} size={22} />
        </span>
        {name}
      </h2>
      {topic && <p class="topic">{topic}</p>}
      <div class="header-tools">{children}</div>
    </header>
  );
}

// The middle column: the channel header (name, topic, panel buttons, search box), the message list and the
// composer, with the thread view and right-hand panel beside them.

import { useState } from 'preact/hooks';
import { defaultPanel, useStore, update, type Panel } from '../state/store';
import { Composer } from './Composer';
import { MemberList } from './MemberList';
import { MessageList } from './MessageList';
import { PinsPanel, SearchPanel, ThreadsPanel } from './Panels';
import { ThreadView } from './ThreadView';
import { Icon, type IconName } from './Icon';
import { PaneHeader } from './PaneHeader';

function togglePanel(panel: Panel) {
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

function SearchBox() {
  const [text, setText] = useState('');
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        update((s) => {
          s.searchQuery = text.trim();
          s.panel = 'search';
        });
      }}
    >
      <input
        type="search"
        placeholder="Search"
        aria-label="Search messages"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
    </form>
  );
}

export function ChatPane() {
  const s = useStore();
  const channel = s.activeChannel ? s.channels.get(s.activeChannel) : undefined;
  const shown = (panel: Panel) => {
    if (panel !== 'members') return s.panel === panel;
    return s.narrow ? s.drawer === 'members' : s.panel === 'members' && !s.openThread;
  };
  const headerButton = (panel: Panel, label: string, icon: IconName) => (
    <button
      type="button"
      class={shown(panel) ? 'icon active' : 'icon'}
      aria-label={label}
      aria-pressed={shown(panel)}
      title={label}
      onClick={() => togglePanel(panel)}
    >
      <Icon name={icon} />
    </button>
  );
  return (
    <div class="chat-area">
      <main class="chat" aria-label={channel ? `#${channel.name}` : 'Chat'}>
        <PaneHeader icon="hash" name={channel?.name ?? ''} topic={channel?.topic}>
          {headerButton('threads', 'Threads', 'thread')}
          {headerButton('pins', 'Pinned messages', 'pin')}
          {headerButton('members', 'Member list', 'members')}
          <SearchBox />
        </PaneHeader>
        {channel ? (
          <>
            <MessageList key={channel.id} channelId={channel.id} inThread={false} />
            <Composer key={`c${channel.id}`} channelId={channel.id} placeholder={`Message #${channel.name}`} />
          </>
        ) : (
          <div class="empty-chat muted">{s.status === 'ready' ? 'No text channel to show.' : 'Loading…'}</div>
        )}
      </main>
      {s.openThread && <ThreadView threadId={s.openThread} />}
      {channel && s.panel === 'pins' && <PinsPanel channelId={channel.id} />}
      {channel && s.panel === 'threads' && <ThreadsPanel channelId={channel.id} />}
      {s.panel === 'search' && <SearchPanel />}
      {((s.panel === 'members' && !s.narrow) || s.drawer === 'members') && !s.openThread && <MemberList />}
    </div>
  );
}

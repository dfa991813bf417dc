// The middle column: the channel header (name, topic, panel buttons, search box), the message list and the
// composer, with the thread view and right-hand panel beside them (both loaded on demand, `onDemand.ts`). A DM
// or group DM has its own header and panels (`DmPane`), around the same message list and composer.

import { useStore } from '../state/store';
import { Composer } from './Composer';
import { DmPane } from './DmPane';
import { lazy, onDemand } from './lazy';
import { MemberList } from './MemberList';
import { MessageList } from './MessageList';
import { SearchBox } from './SearchBox';
import { NotifyMenu } from './NotifyMenu';
import { PaneHeader, PanelButton } from './PaneHeader';

const PinsPanel = lazy(onDemand, 'PinsPanel');
const SearchPanel = lazy(onDemand, 'SearchPanel');
const ThreadsPanel = lazy(onDemand, 'ThreadsPanel');
const ThreadView = lazy(onDemand, 'ThreadView');

export function ChatPane() {
  const s = useStore();
  const conversation = s.activeChannel ? s.privateChannels.get(s.activeChannel) : undefined;
  if (conversation) return <DmPane channel={conversation} />;
  const channel = s.activeChannel ? s.channels.get(s.activeChannel) : undefined;
  return (
    <div class="chat-area">
      <main class="chat" aria-label={channel ? `#${channel.name}` : 'Chat'}>
        <PaneHeader icon="hash" name={channel?.name ?? ''} topic={channel?.topic}>
          {channel && <NotifyMenu channelId={channel.id} />}
          <PanelButton panel="threads" label="Threads" icon="thread" />
          <PanelButton panel="pins" label="Pinned messages" icon="pin" />
          <PanelButton panel="members" label="Member list" icon="members" />
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

// An open thread beside its channel: its messages and its own composer.

import type { Snowflake } from '../api/types';
import { openThread } from '../state/actions';
import { useStore } from '../state/store';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { Icon } from './Icon';

export function ThreadView({ threadId }: { threadId: Snowflake }) {
  const s = useStore();
  const thread = s.channels.get(threadId);
  if (!thread) return null;
  return (
    <section class="thread-view" aria-label={`Thread ${thread.name}`}>
      <header class="panel-header">
        <h2>
          <Icon name="thread" />
          {thread.name}
        </h2>
        <button type="button" class="icon" aria-label="Close thread" onClick={() => openThread(null)}>
          <Icon name="close" size={18} />
        </button>
      </header>
      <MessageList key={threadId} channelId={threadId} inThread />
      <Composer key={`c${threadId}`} channelId={threadId} placeholder={`Message ${thread.name}`} />
    </section>
  );
}

// An open thread beside its channel: its messages and its own composer.

import type { Message, Snowflake } from '../api/types';
import { Markdown } from '../markdown/render';
import { openThread } from '../state/actions';
import { displayName, useStore } from '../state/store';
import { Avatar } from './Avatar';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { Icon } from './Icon';

/** The message the thread was started from, as Discord shows it at the top of the thread. */
function Starter({ message }: { message: Message }) {
  return (
    <div class="thread-starter">
      <Avatar user={message.author} size={24} />
      <div>
        <strong>{displayName(message.author.id, message.author)}</strong>
        <Markdown source={message.content} mentions={message.mentions} />
      </div>
    </div>
  );
}

export function ThreadView({ threadId }: { threadId: Snowflake }) {
  const s = useStore();
  const thread = s.channels.get(threadId);
  if (!thread) return null;
  const starter = thread.parent_id
    ? s.histories.get(thread.parent_id)?.messages.find((m) => m.thread?.id === threadId)
    : undefined;
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
      <MessageList key={threadId} channelId={threadId} inThread intro={starter && <Starter message={starter} />} />
      <Composer key={`c${threadId}`} channelId={threadId} placeholder={`Message ${thread.name}`} />
    </section>
  );
}

// A DM or group DM in the middle column: the header (the person or group, and its tools: call, pins, add
// people, the group's settings and people, search), the call while one runs, the same message list and composer as a
// channel, and beside them the pins or the group's people. A DM with someone this user blocked offers to
// unblock instead of a composer.

import type { PrivateChannel } from '../api/types';
import { joinCall, unblock } from '../state/dms';
import { conversationName, dmPartner, groupSize, isGroup, MAX_GROUP } from '../state/private';
import { update, useStore } from '../state/store';
import { ConversationAvatar } from './Avatar';
import { Composer } from './Composer';
import { DmCall } from './DmCall';
import { Icon, type IconName } from './Icon';
import { lazy, onDemand } from './lazy';
import { MessageList } from './MessageList';
import { NotifyMenu } from './NotifyMenu';
import { PaneHeader, PanelButton } from './PaneHeader';
import { Recipients } from './Recipients';
import { SearchBox } from './SearchBox';
import { occupants } from './VoicePanel';

const PinsPanel = lazy(onDemand, 'PinsPanel');
const SearchPanel = lazy(onDemand, 'SearchPanel');

function ToolButton({ label, icon, onClick }: { label: string; icon: IconName; onClick: () => void }) {
  return (
    <button type="button" class="icon" aria-label={label} title={label} onClick={onClick}>
      <Icon name={icon} />
    </button>
  );
}

/** Start the call, or join the one running; nothing while this tab is in it (the call view has its controls). */
function CallTool({ channel }: { channel: PrivateChannel }) {
  const s = useStore();
  if (s.voice.channelId === channel.id) return null;
  const running = occupants(s.voiceStates, channel.id).length > 0;
  return <ToolButton label={running ? 'Join call' : 'Start call'} icon="phone" onClick={() => joinCall(channel.id)} />;
}

export function DmPane({ channel }: { channel: PrivateChannel }) {
  const s = useStore();
  const group = isGroup(channel);
  const name = conversationName(channel);
  const partner = dmPartner(channel);
  const blocked = !!partner && s.blocked.has(partner.id);
  const showPeople = group && ((s.panel === 'members' && !s.narrow) || s.drawer === 'members');
  const dialog = (d: NonNullable<typeof s.dmDialog>) => () =>
    update((st) => {
      st.dmDialog = d;
    });
  return (
    <div class="chat-area">
      <main class="chat dm" aria-label={group ? name : `@${name}`}>
        <PaneHeader
          avatar={<ConversationAvatar channel={channel} size={24} />}
          name={name}
          topic={group ? `${groupSize(channel)} members` : partner?.username}
        >
          <CallTool channel={channel} />
          <NotifyMenu channelId={channel.id} />
          <PanelButton panel="pins" label="Pinned messages" icon="pin" />
          {group ? (
            <>
              {groupSize(channel) < MAX_GROUP && (
                <ToolButton label="Add people" icon="userPlus" onClick={dialog({ kind: 'add-people', channelId: channel.id })} />
              )}
              <ToolButton label="Group settings" icon="edit" onClick={dialog({ kind: 'group-settings', channelId: channel.id })} />
              <PanelButton panel="members" label="Member list" icon="members" />
            </>
          ) : (
            partner && (
              <ToolButton label="Start a group with this person" icon="userPlus" onClick={dialog({ kind: 'new-group', with: [partner.id] })} />
            )
          )}
          <SearchBox />
        </PaneHeader>
        <DmCall channelId={channel.id} />
        <MessageList key={channel.id} channelId={channel.id} inThread={false} />
        {blocked ? (
          <div class="blocked-bar" role="status">
            <span>You blocked {name}. Unblock them to send a message.</span>
            <button type="button" class="secondary" onClick={() => void unblock(partner!.id)}>
              Unblock
            </button>
          </div>
        ) : (
          <Composer key={`c${channel.id}`} channelId={channel.id} placeholder={`Message ${group ? name : `@${name}`}`} />
        )}
      </main>
      {s.panel === 'pins' && <PinsPanel channelId={channel.id} />}
      {s.panel === 'search' && s.searchIn === channel.id && <SearchPanel />}
      {showPeople && <Recipients channel={channel} />}
    </div>
  );
}

// The left column: the space's name (with the quick switcher's button, the way to it without a keyboard, and
// "Invite people" for those who may), the direct messages, the space's channels grouped by category (text and
// voice, with unread dots and mention counts; muted ones dimmed), and the current user's panel with the status
// picker, the settings button (and the admin panel's link for instance admins).

import { ChannelType, type Channel } from '../api/types';
import { openChannel } from '../state/actions';
import { join } from '../voice/controller';
import { isInstanceAdmin, mayInvite } from '../state/invites';
import { isMuted } from '../state/notifySettings';
import { isUnread, update, useStore, type State } from '../state/store';
import { DmList } from './DmList';
import { StatusMenu } from './StatusMenu';
import { Icon } from './Icon';
import { VoiceMembers, VoicePanel } from './VoicePanel';

function byPosition(a: Channel, b: Channel): number {
  return (a.position ?? 0) - (b.position ?? 0) || a.name.localeCompare(b.name);
}

function ChannelItem({ channel }: { channel: Channel }) {
  const s = useStore();
  const voice = channel.type === ChannelType.Voice;
  const active = voice ? s.stage === channel.id : s.activeChannel === channel.id && !s.stage;
  const joined = voice && s.voice.channelId === channel.id;
  // A muted channel is dimmed and shows no unread mark; mentions still count, as on Discord.
  const muted = !voice && isMuted(channel.id);
  const unread = !voice && !active && !muted && isUnread(channel);
  const mentions = s.readStates.get(channel.id)?.mentions ?? 0;
  const classes = ['channel'];
  if (active) classes.push('active');
  if (unread) classes.push('unread');
  if (joined) classes.push('joined');
  if (muted) classes.push('channel-muted');
  return (
    <li>
      <a
        href={`/channels/${s.guild?.id}/${channel.id}`}
        class={classes.join(' ')}
        aria-current={active ? 'page' : undefined}
        title={voice && !joined ? 'Join voice' : undefined}
        aria-label={`${channel.name} (${voice ? 'voice' : 'text'} channel)${joined ? ', connected' : ''}${muted ? ', muted' : ''}${unread ? ', unread' : ''}${mentions ? `, ${mentions} mentions` : ''}`}
        onClick={(e) => {
          e.preventDefault();
          if (voice) void join(channel.id);
          else openChannel(channel.id);
        }}
      >
        <span class="channel-icon" aria-hidden="true">
          <Icon name={voice ? 'speaker' : 'hash'} />
        </span>
        <span class="channel-name">{channel.name}</span>
        {mentions > 0 && !active && <span class="badge">{mentions}</span>}
      </a>
      {voice && <VoiceMembers channelId={channel.id} />}
    </li>
  );
}

function showModal(modal: State['modal']) {
  update((st) => {
    st.modal = modal;
    st.drawer = null;
  });
}

export function Sidebar() {
  const s = useStore();
  const all = [...s.channels.values()];
  const categories = all.filter((c) => c.type === ChannelType.Category).sort(byPosition);
  const listed = all.filter((c) => c.type === ChannelType.Text || c.type === ChannelType.Voice);
  const loose = listed.filter((c) => !c.parent_id || !s.channels.has(c.parent_id)).sort(byPosition);
  const me = s.me;
  return (
    <nav class={s.drawer === 'channels' ? 'sidebar open' : 'sidebar'} aria-label="Channels">
      <header class="guild-name">
        <h1>{s.guild?.name ?? 'spot'}</h1>
        <button
          type="button"
          class="icon"
          aria-label="Find a channel or conversation"
          title="Find a channel or conversation (Ctrl+K)"
          onClick={() => showModal('switcher')}
        >
          <Icon name="search" size={18} />
        </button>
        {mayInvite() && (
          <button type="button" class="icon" aria-label="Invite people" title="Invite people" onClick={() => showModal('invite')}>
            <Icon name="userPlus" size={18} />
          </button>
        )}
      </header>
      <div class="channel-scroll">
        <DmList />
        {loose.length > 0 && (
          <section class="category" aria-label="Channels">
            {/* Under the direct messages, channels outside any category need a heading of their own. */}
            <h2>Channels</h2>
            <ul class="channel-list">
              {loose.map((c) => (
                <ChannelItem key={c.id} channel={c} />
              ))}
            </ul>
          </section>
        )}
        {categories.map((cat) => (
          <section key={cat.id} class="category" aria-label={cat.name}>
            <h2>{cat.name}</h2>
            <ul class="channel-list">
              {listed
                .filter((c) => c.parent_id === cat.id)
                .sort(byPosition)
                .map((c) => (
                  <ChannelItem key={c.id} channel={c} />
                ))}
            </ul>
          </section>
        ))}
      </div>
      <VoicePanel />
      {me && (
        <footer class="user-panel">
          <StatusMenu />
          <div class="user-names">
            <div class="user-display">{me.global_name || me.username}</div>
            <div class="user-handle">{me.username}</div>
          </div>
          {isInstanceAdmin() && (
            <a class="icon-link" href="/admin" aria-label="Admin panel" title="Admin panel">
              <Icon name="shield" />
            </a>
          )}
          <button
            type="button"
            class="icon"
            aria-label="User settings"
            title="User settings"
            onClick={() => showModal('settings')}
          >
            <Icon name="settings" />
          </button>
        </footer>
      )}
    </nav>
  );
}

